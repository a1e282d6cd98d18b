"""What each scale contains: the real 合江亭 figures (seed 000 §1.2, §2.1) and the benchmark district."""

from __future__ import annotations

from dataclasses import dataclass, field

DISTRICT = "成都市锦江区"
SUBDISTRICT = "锦官驿街道"  # seed 000 §1.2: 锦江区锦官驿街道合江亭社区
COMMUNITY = "合江亭社区"

# 学道苑 = 东南里7号 + 拱背桥25号1栋 + 拱背桥25号2栋 (三院合一, seed 000 §2.1):
# 10 buildings, 139 households, 403 registered people, grid 8, 3 micro-grid workers, 1 resident group.
XUEDAOYUAN = {
    "name": "学道苑", "slug": "xuedaoyuan", "grid": 8, "microgrids": 3, "people": 403,
    "intro": "东南里7号、拱背桥25号1栋与2栋“三院合一”，共商共建，居民公共空间题作“合议轩”。",
    "courtyards": [("东南里7号", 4, 56), ("拱背桥25号1栋", 3, 42), ("拱背桥25号2栋", 3, 41)],
}

# The other 35 courtyards of 合江亭: (name, built_year). Built after 2000 → modern commodity housing.
HEJIANGTING_COURTYARDS = [
    ("东南里3号", 1986), ("东南里11号", 1988), ("东南里15号", 1991), ("拱背桥11号", 1984), ("拱背桥17号", 1987),
    ("拱背桥31号", 1993), ("东门街14号", 1985), ("东门街22号", 1990), ("东门街35号", 1996), ("东门街48号", 2004),
    ("水井街8号院", 1983), ("水井街19号院", 1989), ("水井街31号院", 1992), ("水井街45号院", 2006),
    ("天仙桥南路5号", 1995), ("天仙桥南路17号", 2008), ("天仙桥北路33号", 1998), ("下莲池街9号", 1987),
    ("下莲池街21号", 1991), ("下莲池街33号", 1997), ("镋钯街13号", 1986), ("镋钯街27号", 1994), ("镋钯街41号", 2002),
    ("滨江东路2号", 2010), ("滨江东路16号", 2005), ("滨江东路28号", 2012), ("黄伞巷6号", 1982), ("黄伞巷12号", 1988),
    ("双槐树街4号", 1990), ("双槐树街18号", 1999), ("莲花池横街3号", 1985), ("锦官驿街7号", 2003),
    ("合江亭横街9号", 1992), ("新南路88号", 2009), ("九眼桥路10号", 2001),
]

# Two to three more self-governance units besides 学道苑: (courtyard, unit name, slug).
OTHER_UNITS = [
    ("东门街14号", "东门街14号院落自治单元", "dongmenjie-14"),
    ("水井街31号院", "水井坊邻里院", "shuijingjie-31"),
    ("拱背桥11号", "拱背桥11号院落自治单元", "gongbeiqiao-11"),
]

STREETS = (
    "东门街", "水井街", "天仙桥南路", "下莲池街", "镋钯街", "滨江东路", "黄伞巷", "双槐树街", "莲花池横街", "锦官驿街",
    "新南路", "九眼桥路", "大慈寺路", "红星路", "盐道街", "青石桥", "书院街", "东大街", "梓潼街", "上东大街",
    "牛王庙街", "东光路", "静安路", "宏济路", "均隆街", "国槐街", "驸马街", "琉璃路", "翠柏路", "金泉街",
)

COMMUNITY_NAMES = (
    "水井坊", "星桥", "东门", "莲桂", "大慈寺", "红星路", "盐道街", "天涯石", "青石桥", "金玉", "书院街", "和平",
    "马镇街", "交子", "东大街", "汇泉", "静居寺", "翡翠", "东湖", "莲花", "卓锦", "宏济", "成龙", "柳江", "驿都",
    "新南", "均隆", "春熙", "梓潼", "上东", "国槐", "牛王庙", "东光", "大观", "龙舟", "新华", "黉门", "锦华", "琉璃",
    "高攀", "金泉", "翠柏", "静安", "三圣", "红砂", "幸福", "江家", "驸马", "锦东", "望江",
)
SUBDISTRICTS = ("锦官驿街道", "春熙路街道", "书院街街道", "督院街街道", "盐市口街道", "牛市口街道", "东光街道", "沙河街道")


@dataclass
class CommunitySpec:
    name: str
    grids: int
    courtyards: list[tuple[str, int]]  # (name, built_year), besides 学道苑
    dwellings: int  # households in total (incl. 学道苑 when present)
    people: int | None  # total Person rows wanted (exact), or None for "about 1.2 per dwelling"
    resident_groups: int
    party_members: int
    party_branches: int
    merchants: int
    other_partners: int
    with_xuedaoyuan: bool = False
    other_units: list[tuple[str, str, str]] = field(default_factory=list)
    grid_numbers: list[int] | None = None  # defaults to 1..grids
    lite: bool = False  # smaller households, few absentee owners (benchmark district)


def hejiangting() -> CommunitySpec:
    # 7053 households, 17422 常住人口, 38 courtyards, 13 resident groups, 11 grids, 10 branches,
    # 496 party members, 310 shops (seed 000 §1.2).
    return CommunitySpec(
        name=COMMUNITY, grids=11, courtyards=list(HEJIANGTING_COURTYARDS), dwellings=7053, people=17422,
        resident_groups=13, party_members=496, party_branches=10, merchants=310, other_partners=25,
        with_xuedaoyuan=True, other_units=list(OTHER_UNITS),
    )


def small() -> CommunitySpec:
    return CommunitySpec(
        name=COMMUNITY, grids=2, courtyards=[("东门街14号", 1985), ("滨江东路2号", 2010)], dwellings=139 + 160,
        people=403 + 420, resident_groups=2, party_members=30, party_branches=2, merchants=8, other_partners=6,
        with_xuedaoyuan=True, other_units=[OTHER_UNITS[0]], grid_numbers=[1, 8],
    )


def generic(rng, name: str) -> CommunitySpec:
    n = rng.randint(18, 30)
    picked: set[str] = set()
    courtyards = []
    while len(courtyards) < n:
        cname = f"{rng.choice(STREETS)}{rng.randint(1, 120)}号"
        if cname not in picked:
            picked.add(cname)
            courtyards.append((cname, rng.choice((1982, 1986, 1990, 1995, 1998, 2003, 2008, 2012, 2016))))
    return CommunitySpec(
        name=f"{name}社区", grids=rng.randint(6, 10), courtyards=courtyards, dwellings=n * rng.randint(225, 275),
        people=None, resident_groups=rng.randint(6, 12), party_members=rng.randint(250, 450), party_branches=6,
        merchants=rng.randint(60, 200), other_partners=rng.randint(8, 20), lite=True,
    )
