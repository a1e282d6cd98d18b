"""Pools and pure generators for realistic Chinese names, phones and ID numbers."""

from __future__ import annotations

import random

# Common surnames, most frequent first; weights fall off roughly like the real distribution.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
SURNAME_WEIGHTS = [1.0 / (i + 6) ** 1.1 for i in range(len(SURNAMES))]

MALE_CHARS = "伟强军勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林峰建国志文德福荣海东亮成军卫忠祥兵"
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英华慧巧美淑惠珍玉萍红玲桂琴兰凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑶怡婷"
NEUTRAL_CHARS = "晓春秋一子思嘉欣佳安宏雨晨天瑞博文雅清诗梓涵若"
# Given names typical of older generations (born before ~1965).
OLD_MALE = ("建国", "国强", "德明", "志刚", "福生", "永福", "国华", "卫东", "建华", "世明", "光明", "跃进", "树林", "长春")
OLD_FEMALE = ("秀英", "桂兰", "玉珍", "淑华", "素芬", "凤英", "秀兰", "桂芳", "翠华", "玉兰", "淑珍", "琼华", "德芬", "惠琴")

PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "139", "150", "151", "152", "153", "155", "156", "157",
    "158", "159", "166", "173", "177", "180", "181", "182", "183", "186", "187", "188", "189", "198", "199",
)
# 138 0000 xxxx is reserved for the demo logins, so generated residents never collide with them.

# Region codes: 510104 is 锦江区; floating residents come from elsewhere in Sichuan and beyond.
LOCAL_REGION = "510104"
OTHER_REGIONS = ("510107", "510108", "510681", "511302", "511621", "500101", "420106", "610113", "530102", "510521")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def person_name(rng: random.Random, gender: str, birth_year: int) -> str:
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    if birth_year < 1965 and rng.random() < 0.45:
        return surname + rng.choice(OLD_MALE if gender == "M" else OLD_FEMALE)
    pool = MALE_CHARS if gender == "M" else FEMALE_CHARS
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    first = rng.choice(pool + NEUTRAL_CHARS)
    return surname + first + rng.choice(pool)


def phone_number(rng: random.Random, used: set[str]) -> str:
    while True:
        number = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        if number not in used:
            used.add(number)
            return number


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_number(rng: random.Random, birth_year: int, gender: str, local: bool) -> str:
    region = LOCAL_REGION if local else rng.choice(OTHER_REGIONS)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)  # odd = male
    first17 = f"{region}{birth_year:04d}{month:02d}{day:02d}{seq:03d}"
    return first17 + id_check_digit(first17)
