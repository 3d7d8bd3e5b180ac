"""What an uploaded file is, read from its content, and images made safe.

The type comes from the first bytes (and, for office documents, the zip's
own table of contents), never from the name or from what the browser said:
a program renamed ``photo.jpg`` is refused. Accepted: JPEG, PNG and WebP
images; PDF; plain text and CSV in UTF-8; OpenDocument and Office Open XML
documents, spreadsheets and presentations (without macros).

Images are decoded and written anew with Pillow: the orientation the camera
noted is applied to the pixels, and everything else the file carried —
EXIF (with GPS positions), XMP, ICC profiles, comments — stays behind,
because only the pixels are copied. A file that claims more pixels than
``MAX_PIXELS`` is refused before it is decoded (a decompression bomb);
large photos are scaled down to ``MAX_SIDE``; a small thumbnail is made for
lists.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from partnerships.errors import ServiceError

MAX_PIXELS = 40_000_000  # 40 megapixels: more than any phone takes
MAX_SIDE = 2560  # longest side of a stored photo
THUMB_SIDE = 320
SNIFF_BYTES = 64

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "text/plain": "txt",
    "text/csv": "csv",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
}
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Text may hold tab, line breaks and form feed; other control characters
# mean it is not text.
_NOT_TEXT = {*range(0, 9), 11, *range(14, 32), 127}


def refuse_type() -> ServiceError:
    return ServiceError(
        _(
            "This kind of file is not taken. Attach a photo (JPEG, PNG or WebP), a PDF, "
            "a text or CSV file, or an OpenDocument or Office document."
        ),
        field="upload",
    )


def sniff(data: bytes, name: str = "") -> str:
    """The content type of ``data``, read from its content; a ``ServiceError``
    for anything not accepted. ``name`` only tells CSV from plain text."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _office(data)
    if _is_text(data):
        return "text/csv" if name.lower().endswith(".csv") else "text/plain"
    raise refuse_type()


def _office(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if declared in EXTENSIONS and declared.startswith(
                    "application/vnd.oasis.opendocument."
                ):
                    return declared
            if "[Content_Types].xml" in names and not any(
                n.lower().endswith("vbaproject.bin") for n in names
            ):
                for folder, content_type in _OOXML.items():
                    if any(n.startswith(folder) for n in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        pass
    raise refuse_type()


def _is_text(data: bytes) -> bool:
    if not data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in _NOT_TEXT for ch in text)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes  # WebP


def _refuse_image() -> ServiceError:
    return ServiceError(_("This image cannot be read: it may be damaged."), field="upload")


def clean_image(data: bytes) -> CleanImage:
    """The image in ``data`` written anew: orientation applied, no metadata,
    scaled down when large, with a thumbnail. Refuses bombs and broken files."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in IMAGE_TYPES:
                    raise refuse_type()
                content_type = IMAGE_TYPES[source.format]
                width, height = source.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels()
                source.seek(0)  # the first frame of an animation
                source.load()
                upright = ImageOps.exif_transpose(source)
                pixels = _only_pixels(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels() from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise _refuse_image() from None
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if content_type == "image/jpeg":
        pixels.save(out, "JPEG", quality=85, optimize=True)
    elif content_type == "image/png":
        pixels.save(out, "PNG", optimize=True)
    else:
        pixels.save(out, "WEBP", quality=85)
    small = pixels.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    thumb = io.BytesIO()
    small.save(thumb, "WEBP", quality=75)
    return CleanImage(out.getvalue(), content_type, pixels.width, pixels.height, thumb.getvalue())


def _too_many_pixels() -> ServiceError:
    return ServiceError(
        _("This image has too many pixels to be taken (at most %(n)s million).")
        % {"n": MAX_PIXELS // 1_000_000},
        field="upload",
    )


def _only_pixels(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels of ``image``: no ``info`` (EXIF,
    XMP, ICC profile, comments) is carried over."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("P", "PA") and "transparency" in image.info
        image = image.convert("RGBA" if has_alpha or image.mode == "PA" else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())
