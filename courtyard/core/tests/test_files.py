import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps

from courtyard.core.audit import Actor
from courtyard.core.files import store_upload
from courtyard.core.models import Attachment, AuditEvent

from .factories import make_user

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def jpeg_with_gps(size=(400, 300), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel"  # Model
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (39.0, 54.0, 27.0)
    gps[3] = "E"
    gps[4] = (116.0, 23.0, 5.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def png_bytes(size=(64, 48), mode="RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of all-zero rows: huge when decoded, small on disk (built without Pillow)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Name", "Dwelling"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_photo_is_stored_without_exif_or_gps(media_root):
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as original:  # the fixture really carries GPS
        assert original.getexif().get_ifd(GPS_IFD)
    user = make_user()

    attachment = store_upload(by=Actor(user=user), upload=upload("IMG_0001.JPG", raw, "image/jpeg"))

    attachment.refresh_from_db()
    assert attachment.kind == "image"
    assert attachment.mime_type == "image/jpeg"
    assert attachment.extension == ".jpg"
    assert (attachment.width, attachment.height) == (400, 300)
    assert attachment.original_name == "IMG_0001.JPG"
    assert attachment.uploaded_by == user
    stored = Path(attachment.file.path).read_bytes()
    assert attachment.size == len(stored)
    import hashlib

    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    with Image.open(io.BytesIO(stored)) as clean:
        assert clean.format == "JPEG"
        assert "exif" not in clean.info
        assert "comment" not in clean.info
        assert len(clean.getexif()) == 0
        assert not clean.getexif().get_ifd(GPS_IFD)
    assert b"PhoneModel" not in stored and b"secret comment" not in stored
    event = AuditEvent.objects.get(action="core.attachment.upload")
    assert event.object_id == str(attachment.pk)
    assert event.actor == user


def test_exif_orientation_is_applied_and_large_photos_are_scaled_down():
    raw = jpeg_with_gps(size=(3000, 1000), orientation=6)  # 6 = rotate 90° clockwise to display
    attachment = store_upload(by=Actor.system(), upload=upload("tall.jpg", raw))
    assert (attachment.width, attachment.height) == (854, 2560) or (attachment.width, attachment.height) == (853, 2560)
    with Image.open(attachment.file.path) as clean:
        assert clean.size == (attachment.width, attachment.height)
        assert ImageOps.exif_transpose(clean).size == clean.size


def test_png_stays_png_and_webp_becomes_jpeg():
    png = store_upload(by=Actor.system(), upload=upload("a.png", png_bytes()))
    assert (png.mime_type, png.extension) == ("image/png", ".png")
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 0, 255, 128)).save(out, format="WEBP")
    webp = store_upload(by=Actor.system(), upload=upload("b.webp", out.getvalue()))
    assert (webp.mime_type, webp.extension) == ("image/jpeg", ".jpg")
    with Image.open(webp.file.path) as clean:
        assert clean.format == "JPEG"


def test_text_file_renamed_jpg_is_refused_and_nothing_stored(media_root):
    fake = upload("photo.jpg", b"just some text, not a photo\n" * 10, "image/jpeg")
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=fake)
    assert "not a photo" in info.value.messages[0]
    assert Attachment.objects.count() == 0
    assert not AuditEvent.objects.filter(action="core.attachment.upload").exists()
    assert stored_files(media_root) == []


def test_oversize_file_is_refused_without_trusting_size(media_root):
    data = jpeg_with_gps()
    fake = upload("big.jpg", data, "image/jpeg")
    fake.size = 10  # a lying size attribute does not help
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=fake, max_bytes=len(data) - 1)
    assert "larger than" in info.value.messages[0]
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_default_limit_comes_from_settings(settings):
    settings.COURTYARD_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    data = b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=upload("huge.jpg", data))
    assert info.value.messages == ["The file is larger than 10 MB."]


def test_pdf_only_when_allowed(media_root):
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("minutes.pdf", pdf_bytes(), "application/pdf"))
    assert stored_files(media_root) == []
    attachment = store_upload(by=Actor.system(), upload=upload("minutes.pdf", pdf_bytes()), allowed={"pdf", "image"})
    assert (attachment.kind, attachment.mime_type, attachment.extension) == ("pdf", "application/pdf", ".pdf")
    assert Path(attachment.file.path).read_bytes() == pdf_bytes()


def test_xlsx_is_a_spreadsheet_but_other_zips_are_not():
    attachment = store_upload(by=Actor.system(), upload=upload("roster.xlsx", xlsx_bytes()), allowed={"spreadsheet"})
    assert attachment.kind == "spreadsheet"
    assert attachment.extension == ".xlsx"

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=upload("roster.xlsx", out.getvalue()), allowed={"spreadsheet"})
    assert "not accepted" in info.value.messages[0]


def test_video_by_content():
    # Minimal ISO BMFF header: an ftyp box with the mp42 brand.
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
    attachment = store_upload(by=Actor.system(), upload=upload("clip.bin", mp4), allowed={"video"})
    assert (attachment.kind, attachment.mime_type, attachment.extension) == ("video", "video/mp4", ".mp4")
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("clip.mp4", mp4))  # photos only by default


def test_decompression_bomb_is_refused_cleanly(media_root):
    bomb = png_bomb(30000, 30000)
    assert len(bomb) < 1024 * 1024  # tiny on disk, 900 Mpx when decoded
    with pytest.raises(Image.DecompressionBombError):  # it really is one for Pillow
        Image.open(io.BytesIO(bomb))
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=upload("bomb.png", bomb))
    assert "too many pixels" in info.value.messages[0]
    assert Attachment.objects.count() == 0
    assert stored_files(media_root) == []


def test_photo_just_over_our_pixel_limit_is_refused(settings):
    settings.COURTYARD_UPLOAD_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("a.png", png_bytes(size=(101, 100))))


def test_truncated_jpeg_is_refused():
    raw = jpeg_with_gps()
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("cut.jpg", raw[:200]))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("empty.jpg", b""))


def test_owner_is_recorded():
    from .factories import make_community

    community = make_community()
    attachment = store_upload(by=Actor.system(), upload=upload("a.png", png_bytes()), owner=community)
    assert attachment.owner == community
    event = AuditEvent.objects.get(action="core.attachment.upload")
    assert event.community_id == community.pk


def test_heic_is_refused_when_pillow_cannot_open_it(media_root):
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=upload("IMG_0002.HEIC", heic, "image/heic"))
    assert "not a photo" in info.value.messages[0]
    assert stored_files(media_root) == []


def png_rgba_header_only(width: int, height: int) -> bytes:
    """A valid 8-bit RGBA PNG of zero rows (4 bands: width × height × 4 bytes when decoded)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" * (1 + width * 4)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_photo_needing_more_than_100_mb_is_refused_before_decoding(media_root, monkeypatch):
    from PIL import ImageFile

    raw = png_rgba_header_only(5800, 4600)  # 26.7 Mpx: under the pixel limit, but 106.7 MB as RGBA
    assert 5800 * 4600 < 60_000_000 and 5800 * 4600 * 4 > 100 * 1024 * 1024
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(1) or real_load(self))
    with pytest.raises(ValidationError) as info:
        store_upload(by=Actor.system(), upload=upload("big.png", raw))
    assert info.value.code == "image_pixels"
    assert decoded == []  # refused from the header, nothing was decoded
    assert Attachment.objects.count() == 0 and stored_files(media_root) == []


def test_memory_cap_counts_bands_and_is_a_setting(settings):
    from courtyard.core.files import decode_bytes

    with Image.open(io.BytesIO(png_bytes(size=(64, 48), mode="RGBA"))) as rgba:
        assert decode_bytes(rgba) == 64 * 48 * 4
    with Image.open(io.BytesIO(png_bytes(size=(64, 48), mode="L"))) as grey:
        assert decode_bytes(grey) == 64 * 48
    settings.COURTYARD_IMAGE_MAX_DECODE_BYTES = 64 * 48 * 4 - 1
    with pytest.raises(ValidationError):
        store_upload(by=Actor.system(), upload=upload("a.png", png_bytes(size=(64, 48), mode="RGBA")))
    settings.COURTYARD_IMAGE_MAX_DECODE_BYTES = 64 * 48 * 4
    assert store_upload(by=Actor.system(), upload=upload("a.png", png_bytes(size=(64, 48), mode="RGBA"))).pk


def test_large_jpeg_is_measured_at_its_draft_scale(settings):
    # An 8000 × 6000 phone photo decodes at 1/2 scale (draft), so it needs 4000 × 3000 × 3 = 36 MB: accepted.
    out = io.BytesIO()
    Image.new("RGB", (8000, 6000), (10, 20, 30)).save(out, format="JPEG", quality=30)
    attachment = store_upload(by=Actor.system(), upload=upload("big.jpg", out.getvalue()))
    assert max(attachment.width, attachment.height) == 2560
