"""Draw a simple site plan for every courtyard of the demo community that has none, upload it
through the site-plan service (checked upload, audit event) and keep the buildings where they are.

    DJANGO_DEBUG=1 python manage.py demo_site_plans [--limit 5]

The drawing is a schematic: a wall, paths and one labelled footprint per building at its
`map_x/map_y` (the demo data's 1000 × 700 plan coordinates). Real communities upload a scan.
"""

from __future__ import annotations

import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw, ImageFont

from courtyard.core.audit import Actor
from courtyard.core.models import Channel, User
from courtyard.org import siteplans
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Courtyard, Place, RoleGrant

WIDTH, HEIGHT = 1000, 700
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def layout(n: int) -> list[tuple[float, float]]:
    """Rows of footprints either side of the main path, clear of the wall."""
    cols = max(2, math.ceil(math.sqrt(n * 1.6)))
    cols += cols % 2  # an even number: half each side of the path
    rows = max(1, math.ceil(n / cols))
    xs = [150 + i * (WIDTH - 300) / max(1, cols - 1) for i in range(cols)]
    xs = [x + (30 if x > WIDTH / 2 else -30) for x in xs]
    ys = [140 + j * (HEIGHT - 260) / max(1, rows - 1) for j in range(rows)] if rows > 1 else [HEIGHT / 2 - 90]
    return [(round(xs[i % cols], 1), round(ys[i // cols], 1)) for i in range(n)]


def draw_plan(courtyard: Courtyard, buildings: list[Place]) -> bytes:
    img = Image.new("RGB", (WIDTH, HEIGHT), (244, 241, 232))
    d = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(FONT, 22, index=2)  # the SC face of the collection
        title = ImageFont.truetype(FONT, 30, index=2)
    except OSError:
        font = title = ImageFont.load_default()
    d.rectangle([20, 20, WIDTH - 20, HEIGHT - 20], outline=(120, 110, 90), width=6)  # the wall
    d.rectangle([WIDTH // 2 - 40, HEIGHT - 26, WIDTH // 2 + 40, HEIGHT - 14], fill=(244, 241, 232))  # the gate
    d.line([WIDTH // 2, HEIGHT - 20, WIDTH // 2, 60], fill=(214, 205, 185), width=18)  # main path
    for i in range(5):  # trees
        x, y = 330 + i * 120, 62
        d.ellipse([x - 14, y - 14, x + 14, y + 14], fill=(150, 190, 140))
    for b in buildings:
        x, y = b.map_x, b.map_y
        d.rectangle([x - 55, y - 22, x + 55, y + 22], fill=(205, 210, 220), outline=(90, 100, 120), width=2)
        d.text((x, y), b.name, fill=(40, 45, 60), font=font, anchor="mm")
    d.text((40, 36), courtyard.name, fill=(70, 60, 40), font=title)
    d.text((WIDTH - 70, 40), "北 ↑", fill=(70, 60, 40), font=font)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


class Command(BaseCommand):
    help = "Draw and upload schematic site plans for the demo courtyards that have none."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="at most this many courtyards (0: all)")

    def handle(self, *args, limit: int, **options):
        grants = list(RoleGrant.objects.filter(role__in=("community_staff", "platform_admin"), end_date__isnull=True)
                      .select_related("user").order_by("path"))
        superuser = User.objects.filter(is_superuser=True, is_active=True).first()
        if not grants and superuser is None:
            raise CommandError("No community staff login or superuser: load the demo data first.")
        courtyards = Courtyard.objects.filter(site_plan__isnull=True).select_related("community").order_by("name")
        done = 0
        for courtyard in courtyards[:limit] if limit else courtyards:
            # Uploaded by someone who may: the community's staff (the audit trail names them).
            grant = next((g for g in grants if courtyard.community.path.startswith(g.path)), None)
            user = grant.user if grant else superuser
            if user is None:
                continue
            by = Actor(user=user, channel=Channel.SYSTEM)
            buildings = list(Place.objects.filter(courtyard=courtyard, kind=PlaceKind.BUILDING).order_by("name"))
            for building, (x, y) in zip(buildings, layout(len(buildings)), strict=True):
                building.map_x, building.map_y = x, y
            png = draw_plan(courtyard, buildings)
            siteplans.upload_site_plan(by=by, courtyard=courtyard,
                                       upload=SimpleUploadedFile("plan.png", png, content_type="image/png"))
            for building in buildings:  # through the service: checked against the plan, audited
                siteplans.place_building(by=by, building=building, x=building.map_x, y=building.map_y)
            done += 1
        self.stdout.write(f"{done} site plans uploaded.")
