"""Checked file uploads.

`store_upload` decides what a file is from its content (magic bytes, then Pillow or
zipfile), never from its name or the content type the browser sent. It reads at most
`max_bytes` + 1 bytes, so a huge upload is refused without trusting `upload.size`.
Photos are decoded, turned upright (EXIF orientation), scaled to at most 2560 px on the
long side and re-encoded without any metadata (no EXIF, no GPS, no comments, no XMP).
Videos, PDFs and spreadsheets are stored as they are.

Nothing is written to storage or the database when a file is refused: every check runs
before the first write. Refusals raise ValidationError with a translated message.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .audit import Actor, diff, record, snapshot
from .models import Attachment

KINDS = ("image", "video", "pdf", "spreadsheet")
MAX_IMAGE_SIDE = 2560
JPEG_QUALITY = 85
# Pixels a photo may have before it is decoded (a 50 Mpx phone photo is fine; bombs are not).
DEFAULT_MAX_PIXELS = 60_000_000
# Memory one decoded photo may need (width × height × bands, read from the header before decoding).
DEFAULT_MAX_DECODE_BYTES = 100 * 1024 * 1024
_HEAD_BYTES = 8192
_CHUNK = 64 * 1024
_SPOOL = 2 * 1024 * 1024

VIDEO_TYPES = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class _Checked:
    kind: str
    mime: str
    extension: str
    data: File
    width: int | None = None
    height: int | None = None


def _kind_names(allowed: Iterable[str]) -> str:
    names = {
        "image": _("photos (JPEG, PNG or WebP)"),
        "video": _("videos (MP4, MOV or WebM)"),
        "pdf": _("PDF documents"),
        "spreadsheet": _("Excel spreadsheets (.xlsx)"),
    }
    return ", ".join(str(names[k]) for k in KINDS if k in allowed)


def _refuse_type(allowed: set[str]) -> ValidationError:
    if allowed == {"image"}:
        return ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."), code="file_type")
    return ValidationError(
        _("This type of file is not accepted. Accepted: %(kinds)s.") % {"kinds": _kind_names(allowed)},
        code="file_type",
    )


def _size_label(nbytes: int) -> str:
    mb = nbytes / (1024 * 1024)
    if mb >= 1:
        value = int(mb) if mb == int(mb) else round(mb, 1)
        return _("%(size)s MB") % {"size": value}
    kb = max(1, nbytes // 1024)
    return _("%(size)s KB") % {"size": kb}


def _read_limited(upload, max_bytes: int):
    """Copy the upload into a spooled temporary file, refusing once it passes `max_bytes`."""
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL)  # noqa: SIM115 - closed by the caller
    total = 0
    if hasattr(upload, "seek"):
        try:
            upload.seek(0)
        except (OSError, ValueError):
            pass
    chunks = upload.chunks(_CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(_CHUNK), b"")
    for chunk in chunks:
        total += len(chunk)
        if total > max_bytes:
            spool.close()
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": _size_label(max_bytes)}, code="file_size"
            )
        spool.write(chunk)
    if total == 0:
        spool.close()
        raise ValidationError(_("The file is empty."), code="file_empty")
    spool.seek(0)
    return spool, total


def _is_xlsx(spool) -> bool:
    spool.seek(0)
    try:
        with zipfile.ZipFile(spool) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        spool.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names)


def _xlsx_declares_dtd(spool) -> bool:
    """True when any XML part of the workbook carries a DOCTYPE (entity expansion, external references).

    Checked with defusedxml (forbid_dtd) up to each part's root element, so the cost is one small read per
    part. Excel and WPS never write a DTD; a workbook that has one was made by hand."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    spool.seek(0)
    try:
        with zipfile.ZipFile(spool) as archive:
            for info in archive.infolist():
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as member:
                    try:
                        for _event in iterparse(member, events=("start",), forbid_dtd=True):
                            break
                    except DefusedXmlException:
                        return True
                    except (ParseError, ValueError):
                        continue  # malformed XML: the workbook reader refuses it later
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return False
    finally:
        spool.seek(0)
    return False


def _max_pixels() -> int:
    return int(getattr(settings, "COURTYARD_UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _max_decode_bytes() -> int:
    return int(getattr(settings, "COURTYARD_IMAGE_MAX_DECODE_BYTES", DEFAULT_MAX_DECODE_BYTES))


# Bytes per band for the modes whose samples are wider than one byte.
_WIDE_MODES = {"I": 4, "F": 4, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}


def decode_bytes(image) -> int:
    """Bytes the decoded raster of an opened (not yet loaded) image needs: width × height × bands."""
    width, height = image.size
    per_band = _WIDE_MODES.get(image.mode, 1)
    return width * height * max(1, len(image.getbands())) * per_band


def _reencode_image(spool) -> _Checked:
    """Decode a photo safely and re-encode it without metadata."""
    not_photo = ValidationError(_("This file is not a photo (JPEG, PNG or WebP)."), code="file_type")
    too_big = ValidationError(_("The photo has too many pixels to be processed."), code="image_pixels")
    spool.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (then errors) above Image.MAX_IMAGE_PIXELS; treat the warning as a refusal too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(spool) as source:
                if source.format not in ("JPEG", "PNG", "WEBP", "HEIF"):
                    raise not_photo
                width, height = source.size
                if width <= 0 or height <= 0:
                    raise not_photo
                if width * height > _max_pixels():
                    raise too_big
                source_format = source.format
                if source_format == "JPEG":
                    # Decode at a reduced scale when the photo is much larger than we keep.
                    source.draft("RGB", (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
                # Memory the decoded raster needs, from the header alone (draft() shrank JPEGs already).
                if decode_bytes(source) > _max_decode_bytes():
                    raise too_big
                image = ImageOps.exif_transpose(source)
                if image is source:
                    image = source.copy()
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_big from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise not_photo from exc

    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE), Image.Resampling.LANCZOS)
    icc_profile = image.info.get("icc_profile")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    # Drop everything Pillow carried over (exif, comment, xmp, text chunks, dpi ...).
    image.info = {}
    image.getexif().clear()

    out = io.BytesIO()
    if source_format == "PNG":
        if image.mode not in ("1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        save_args = {"optimize": True}
        if icc_profile:
            save_args["icc_profile"] = icc_profile
        image.save(out, format="PNG", **save_args)
        mime, extension = "image/png", ".png"
    else:
        if has_alpha:
            rgba = image.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        save_args = {"quality": JPEG_QUALITY, "optimize": True}
        if icc_profile:
            save_args["icc_profile"] = icc_profile
        image.save(out, format="JPEG", **save_args)
        mime, extension = "image/jpeg", ".jpg"
    out.seek(0)
    return _Checked("image", mime, extension, File(out), image.width, image.height)


def check_upload(spool, allowed: set[str]) -> _Checked:
    """Decide what the file is from its content; refuse what is not allowed."""
    spool.seek(0)
    head = spool.read(_HEAD_BYTES)
    spool.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""

    if mime in PHOTO_TYPES:
        if "image" not in allowed:
            raise _refuse_type(allowed)
        # HEIC only passes when the installed Pillow can decode it (pillow-heif); otherwise refused here.
        return _reencode_image(spool)
    if mime in VIDEO_TYPES:
        if "video" not in allowed:
            raise _refuse_type(allowed)
        return _Checked("video", mime, VIDEO_TYPES[mime], File(spool))
    if mime == "application/pdf" and head.startswith(b"%PDF-"):
        if "pdf" not in allowed:
            raise _refuse_type(allowed)
        return _Checked("pdf", mime, ".pdf", File(spool))
    if mime in ("application/zip", XLSX_MIME) or head.startswith(b"PK\x03\x04"):
        if "spreadsheet" in allowed and _is_xlsx(spool):
            if _xlsx_declares_dtd(spool):
                raise ValidationError(
                    _("This workbook contains a document type declaration (DTD), which Excel and WPS never "
                      "write, and was refused. Save it again in Excel or WPS as .xlsx."), code="file_dtd")
            return _Checked("spreadsheet", XLSX_MIME, ".xlsx", File(spool))
    raise _refuse_type(allowed)


def _original_name(upload) -> str:
    name = getattr(upload, "name", "") or ""
    name = os.path.basename(name.replace("\\", "/"))
    return name[-255:] or "upload"


def store_upload(
    *,
    by: Actor,
    upload,
    allowed: set[str] | frozenset[str] = frozenset({"image"}),
    max_bytes: int | None = None,
    owner=None,
) -> Attachment:
    """Check, clean and store an uploaded file; returns the saved Attachment."""
    allowed = set(allowed)
    unknown = allowed - set(KINDS)
    if unknown or not allowed:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    limit = settings.COURTYARD_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes

    spool, _received = _read_limited(upload, limit)
    try:
        checked = check_upload(spool, allowed)
        digest = hashlib.sha256()
        size = 0
        checked.data.seek(0)
        for chunk in checked.data.chunks(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        if size > limit:  # a re-encoded photo is smaller in practice, but the limit is the limit
            raise ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": _size_label(limit)}, code="file_size"
            )
        checked.data.seek(0)

        attachment = Attachment(
            kind=checked.kind,
            original_name=_original_name(upload),
            mime_type=checked.mime,
            extension=checked.extension,
            size=size,
            sha256=digest.hexdigest(),
            width=checked.width,
            height=checked.height,
            uploaded_by=by.user,
        )
        if owner is not None:
            attachment.owner_type = ContentType.objects.get_for_model(owner)
            attachment.owner_id = str(owner.pk)

        stored_name = None
        try:
            with transaction.atomic():
                attachment.file.save(f"{attachment.sha256}{attachment.extension}", checked.data, save=False)
                stored_name = attachment.file.name
                attachment.save()
                record(
                    by,
                    "core.attachment.upload",
                    attachment,
                    changes=diff(None, snapshot(attachment, fields=[
                        "kind", "original_name", "mime_type", "size", "sha256", "width", "height",
                    ])),
                    community_id=getattr(owner, "community_id", None),
                )
        except BaseException:
            if stored_name:
                attachment.file.storage.delete(stored_name)
            raise
        return attachment
    finally:
        spool.close()

