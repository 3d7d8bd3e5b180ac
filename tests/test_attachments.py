"""The attachments room: files, photos and links on any registered record,
with consent for photos of people.

The room has no records of its own, and the rooms that register theirs
(actions, meetings) stand above it; these tests register a record of a
lower floor, the partnership's partners (``partnerships.Partner``: the
facilitators change them, everyone else reads them), for the test only.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from attachments import services, targets
from attachments.models import Attachment
from partnerships import services as partnership_services
from partnerships.errors import ServiceError
from partnerships.models import AuditEntry, Partner
from tests.conftest import World

PUBLIC = {"value": True}


@pytest.fixture(autouse=True)
def partners_take_attachments(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Register partners as a target for this module only."""
    monkeypatch.setattr(targets, "_TARGETS", dict(targets._TARGETS))
    PUBLIC["value"] = True
    targets.register(Partner, permission_kind="partner", is_public=lambda p: PUBLIC["value"])
    yield


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return (
        [p for p in (media / "attachments").rglob("*") if p.is_file()]
        if (media / "attachments").exists()
        else []
    )


def gps_jpeg(size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG as a phone writes it: GPS position, camera, orientation
    (rotate 90°), an ICC profile and a comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (4.0, 35.0, 56.0)
    gps[3] = "W"
    gps[4] = (74.0, 4.0, 51.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, icc_profile=b"fake-icc-profile" * 4, comment=b"secret")
    return out.getvalue()


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG header that claims ten billion pixels, with almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def photo(
    world: World, *, shows_people: bool = True, consent: bool = False, record: Any = None
) -> Attachment:
    return services.attach_file(
        by=world.facilitator,
        record=record or world.company,
        upload=upload(gps_jpeg(), "IMG_0001.JPG"),
        kind="photo",
        caption={"es": "Jornada de limpieza"},
        shows_people=shows_people,
        consent=consent,
    )


def pdf(world: World) -> Attachment:
    return services.attach_file(
        by=world.facilitator,
        record=world.company,
        upload=upload(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "acta.pdf"
        ),
        kind="file",
        caption={"es": "Acta"},
        shows_people=False,
    )


# --- Images: metadata, orientation, bombs ---------------------------------------------


def test_it_strips_gps_and_every_other_metadata_from_a_photo(world: World, media: Path) -> None:
    original = gps_jpeg()
    assert b"Exif" in original and b"fake-icc-profile" in original
    attachment = photo(world)
    stored = (media / attachment.file.name).read_bytes()
    assert b"Exif" not in stored
    assert b"fake-icc-profile" not in stored
    assert b"secret" not in stored
    assert b"Phone maker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert len(image.getexif()) == 0
        assert "icc_profile" not in image.info and "comment" not in image.info
        # The camera's orientation is applied to the pixels: 40×20 stands up.
        assert image.size == (20, 40)
    assert (attachment.width, attachment.height) == (20, 40)
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "IMG_0001.jpg"
    thumb = (media / attachment.thumbnail.name).read_bytes()
    assert thumb[8:12] == b"WEBP" and b"EXIF" not in thumb


def test_it_scales_down_a_large_photo(world: World, media: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (10, 120, 10)).save(out, "PNG")
    attachment = services.attach_file(
        by=world.facilitator,
        record=world.company,
        upload=upload(out.getvalue(), "panorama.png"),
        kind="photo",
        caption={"es": "Panorámica"},
        shows_people=False,
    )
    with Image.open(media / attachment.file.name) as image:
        assert image.size == (2560, 640)


def test_it_refuses_a_decompression_bomb(world: World, media: Path) -> None:
    with pytest.raises(ServiceError) as refused:
        services.attach_file(
            by=world.facilitator,
            record=world.company,
            upload=upload(png_bomb(), "bomb.png"),
            kind="photo",
            caption={"es": "Bomba"},
            shows_people=False,
        )
    assert "too many pixels" in refused.value.message
    assert refused.value.field == "upload"
    assert not Attachment.objects.exists() and stored_files(media) == []


# --- Types and sizes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200),  # a program
        b"\x7fELF\x02\x01\x01" + bytes(100),
        b"GIF89a\x01\x00\x01\x00" + bytes(20),
        b"<svg xmlns='http://www.w3.org/2000/svg'>\x00</svg>",
    ],
)
def test_it_refuses_a_file_of_another_type_renamed_jpg(
    world: World, media: Path, data: bytes
) -> None:
    with pytest.raises(ServiceError) as refused:
        services.attach_file(
            by=world.facilitator,
            record=world.company,
            upload=upload(data, "holiday.jpg"),
            kind="photo",
            caption={"es": "Foto"},
            shows_people=False,
        )
    assert "not taken" in refused.value.message
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_it_takes_text_only_as_a_document_whatever_its_name(world: World) -> None:
    text = upload(b"<script>alert(1)</script>", "photo.jpg")
    with pytest.raises(ServiceError, match="not a photo"):
        services.attach_file(
            by=world.facilitator,
            record=world.company,
            upload=text,
            kind="photo",
            caption={"es": "Foto"},
            shows_people=False,
        )
    attachment = services.attach_file(
        by=world.facilitator,
        record=world.company,
        upload=text,
        kind="file",
        caption={"es": "Nota"},
        shows_people=False,
    )
    # Stored and served as plain text, under a name that says so.
    assert attachment.content_type == "text/plain"
    assert attachment.original_name == "photo.txt"


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (b"fecha;asistentes\n2026-12-01;12\n", "text/csv"),
    ],
)
def test_it_reads_documents_by_their_content(world: World, data: bytes, content_type: str) -> None:
    attachment = services.attach_file(
        by=world.facilitator,
        record=world.company,
        upload=upload(data, "documento.csv" if content_type == "text/csv" else "documento.bin"),
        kind="file",
        caption={"es": "Documento"},
        shows_people=False,
    )
    assert attachment.content_type == content_type


def test_it_refuses_office_documents_with_macros_and_other_zips(world: World) -> None:
    for data in (
        _zip(
            {
                "[Content_Types].xml": b"<x/>",
                "word/document.xml": b"<x/>",
                "word/vbaProject.bin": b"x",
            }
        ),
        _zip({"readme.txt": b"hola"}),
    ):
        with pytest.raises(ServiceError, match="not taken"):
            services.attach_file(
                by=world.facilitator,
                record=world.company,
                upload=upload(data, "informe.docx"),
                kind="file",
                caption={"es": "Informe"},
                shows_people=False,
            )


def test_it_refuses_a_file_over_the_size_limit(world: World, settings: Any, media: Path) -> None:
    settings.HSBP_ATTACHMENT_MAX_BYTES = 2048
    with pytest.raises(ServiceError) as refused:
        services.attach_file(
            by=world.facilitator,
            record=world.company,
            upload=upload(b"a" * 3000, "notas.txt"),
            kind="file",
            caption={"es": "Notas"},
            shows_people=False,
        )
    assert "too large" in refused.value.message and "0.0 MB" not in refused.value.message
    assert refused.value.field == "upload"
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_it_takes_only_web_links(world: World) -> None:
    for bad in ("javascript:alert(1)", "ftp://example.test/a", "data:text/html,hi", "example"):
        with pytest.raises(ServiceError) as refused:
            services.attach_link(
                by=world.facilitator, record=world.company, url=bad, caption={"es": "Enlace"}
            )
        assert refused.value.field == "url"
    link = services.attach_link(
        by=world.facilitator,
        record=world.company,
        url="https://example.test/informe",
        caption={"es": "Informe"},
    )
    assert link.kind == "link"


def test_it_asks_for_a_caption_in_the_first_working_language(world: World) -> None:
    with pytest.raises(ServiceError) as refused:
        services.attach_link(
            by=world.facilitator,
            record=world.company,
            url="https://example.test/",
            caption={"en": "Only English"},
        )
    assert refused.value.field == "caption_es"


# --- Nothing half-written -------------------------------------------------------------


def test_it_leaves_no_file_behind_when_the_row_fails(
    world: World, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "save_audited", broken)
    with pytest.raises(RuntimeError):
        photo(world)
    assert stored_files(media) == []
    assert not Attachment.objects.exists()


def test_it_removes_the_row_then_the_files(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    attachment = photo(world)
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.remove(by=world.facilitator, attachment=attachment)
    assert stored_files(media) == []
    assert AuditEntry.objects.filter(kind="attachment", action="delete").exists()


# --- Consent --------------------------------------------------------------------------


def _public_url(world: World, attachment: Attachment) -> str:
    return reverse(
        "attachments:public", kwargs={"slug": world.own.slug, "public_file": attachment.public_id}
    )


def test_it_keeps_a_photo_of_people_without_consent_inside_the_partnership(world: World) -> None:
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    private = photo(world)
    document = pdf(world)
    anonymous = world.client_for("anonymous")
    assert private.is_private
    assert anonymous.get(_public_url(world, private)).status_code == 404
    assert anonymous.get(_public_url(world, document)).status_code == 200
    assert services.public_attachments_of([world.company]) == [document]
    # The consent is recorded, with who and when: now it may leave.
    services.set_consent(by=world.facilitator, attachment=private, consent=True)
    private.refresh_from_db()
    assert private.consent_by is not None and private.consent_at is not None
    assert anonymous.get(_public_url(world, private)).status_code == 200
    assert {a.pk for a in services.public_attachments_of([world.company])} == {
        private.pk,
        document.pk,
    }
    # Withdrawn, it is private again.
    services.set_consent(by=world.facilitator, attachment=private, consent=False)
    assert anonymous.get(_public_url(world, private)).status_code == 404


def test_it_publishes_nothing_of_an_unpublished_record_or_partnership(world: World) -> None:
    document = pdf(world)
    anonymous = world.client_for("anonymous")
    assert anonymous.get(_public_url(world, document)).status_code == 404  # not published
    partnership_services.set_published(
        actor=world.facilitator, partnership=world.own, published=True
    )
    PUBLIC["value"] = False
    assert anonymous.get(_public_url(world, document)).status_code == 404
    assert services.public_attachments_of([world.company]) == []
    PUBLIC["value"] = True
    assert anonymous.get(_public_url(world, document)).status_code == 200


def test_it_serves_the_public_copy_only_under_its_own_partnership(world: World) -> None:
    for partnership in (world.own, world.foreign):
        partnership_services.set_published(
            actor=world.facilitator if partnership == world.own else world.foreign_facilitator,
            partnership=partnership,
            published=True,
        )
    document = pdf(world)
    url = reverse(
        "attachments:public", kwargs={"slug": world.foreign.slug, "public_file": document.public_id}
    )
    assert world.client_for("anonymous").get(url).status_code == 404


def test_it_needs_no_consent_for_what_shows_nobody(world: World) -> None:
    document = pdf(world)
    with pytest.raises(ServiceError, match="needs no consent"):
        services.set_consent(by=world.facilitator, attachment=document, consent=True)


# --- Permissions and partnerships -----------------------------------------------------


def test_it_answers_a_foreign_attachment_with_a_404(world: World) -> None:
    foreign = services.attach_file(
        by=world.foreign_facilitator,
        record=world.foreign_partner,
        upload=upload(gps_jpeg(), "foto.jpg"),
        kind="photo",
        caption={"es": "Otra alianza"},
        shows_people=False,
    )
    client = world.client_for("facilitator")
    slug = world.own.slug
    for name in ("file", "remove"):
        url = reverse(
            f"attachments:{name}", kwargs={"slug": slug, "attachment_id": foreign.public_id}
        )
        assert client.get(url).status_code == 404
    consent = reverse(
        "attachments:consent", kwargs={"slug": slug, "attachment_id": foreign.public_id}
    )
    assert client.post(consent, {"consent": "yes"}).status_code == 404
    add = reverse(
        "attachments:add",
        kwargs={
            "slug": slug,
            "attach_to": "partner",
            "attach_to_id": world.foreign_partner.public_id,
        },
    )
    assert client.get(add).status_code == 404
    # Nor can a service attach to another partnership's record for them.
    with pytest.raises(ServiceError):
        services.attach_link(
            by=world.facilitator,
            record=world.foreign_partner,
            url="https://example.test/",
            caption={"es": "x"},
        )
    assert Attachment.objects.count() == 1


def test_it_lets_each_role_do_what_the_table_and_the_record_allow(world: World) -> None:
    attachment = photo(world)
    slug = world.own.slug
    add = reverse(
        "attachments:add",
        kwargs={"slug": slug, "attach_to": "partner", "attach_to_id": world.company.public_id},
    )
    served = reverse(
        "attachments:file", kwargs={"slug": slug, "attachment_id": attachment.public_id}
    )
    removal = reverse(
        "attachments:remove", kwargs={"slug": slug, "attachment_id": attachment.public_id}
    )
    expected = {
        # persona: (read the file, open the upload form, remove)
        "facilitator": (200, 200, 200),
        "company_rep": (200, 403, 403),  # may not change partners, so may not attach to them
        "participant": (200, 403, 403),
        "observer": (200, 403, 403),
        "outsider": (404, 404, 404),
        "anonymous": (302, 302, 302),
    }
    for persona, codes in expected.items():
        client = world.client_for(persona)
        got = (
            client.get(served).status_code,
            client.get(add).status_code,
            client.get(removal).status_code,
        )
        assert got == codes, persona
    with pytest.raises(ServiceError):
        services.remove(by=world.company_rep, attachment=attachment)
    with pytest.raises(ServiceError):
        services.set_consent(by=world.participant, attachment=attachment, consent=True)


def test_it_lets_a_representative_attach_to_what_they_may_change(world: World) -> None:
    from stakeholders import services as map_services
    from stakeholders.models import Actor

    targets.register(Actor, permission_kind="actor")
    actor = map_services.create_actor(
        by=world.facilitator, partnership=world.own, name="Junta de acción"
    )
    link = services.attach_link(
        by=world.company_rep, record=actor, url="https://example.test/acta", caption={"es": "Acta"}
    )
    assert link.uploaded_by == world.member(world.company_rep)
    with pytest.raises(ServiceError):
        services.attach_link(
            by=world.participant, record=actor, url="https://example.test/", caption={"es": "x"}
        )


# --- Pages ----------------------------------------------------------------------------


def test_it_takes_a_photo_through_the_form_and_shows_it(world: World, media: Path) -> None:
    client = world.client_for("facilitator")
    slug = world.own.slug
    add = reverse(
        "attachments:add",
        kwargs={"slug": slug, "attach_to": "partner", "attach_to_id": world.company.public_id},
    )
    response = client.post(
        add,
        {
            "kind": "photo",
            "upload": upload(gps_jpeg(), "asamblea.jpg"),
            "caption_es": "Asamblea de vecinos",
            "shows_people": "on",
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.shows_people and not attachment.consent
    page = client.get(response["Location"]).content.decode()
    assert "Asamblea de vecinos" in page
    assert "no consent recorded" in page
    assert (
        reverse("attachments:consent", kwargs={"slug": slug, "attachment_id": attachment.public_id})
        in page
    )
    served = client.get(
        reverse("attachments:file", kwargs={"slug": slug, "attachment_id": attachment.public_id})
    )
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Content-Disposition"].startswith("inline")
    thumb = client.get(
        reverse("attachments:file", kwargs={"slug": slug, "attachment_id": attachment.public_id})
        + "?thumb=1"
    )
    assert thumb["Content-Type"] == "image/webp"
    # A participant reads it, without the form or the buttons.
    participant_page = world.client_for("participant").get(response["Location"]).content.decode()
    assert "Asamblea de vecinos" in participant_page
    assert 'enctype="multipart/form-data"' not in participant_page
    assert "consent/" not in participant_page


def test_it_puts_a_refusal_back_on_the_form(world: World) -> None:
    client = world.client_for("facilitator")
    add = reverse(
        "attachments:add",
        kwargs={
            "slug": world.own.slug,
            "attach_to": "partner",
            "attach_to_id": world.company.public_id,
        },
    )
    response = client.post(
        add, {"kind": "photo", "upload": upload(b"MZ" + bytes(50), "a.jpg"), "caption_es": "x"}
    )
    assert response.status_code == 200
    assert "not taken" in response.content.decode()
    assert not Attachment.objects.exists()


def test_it_downloads_documents_rather_than_showing_them(world: World) -> None:
    note = services.attach_file(
        by=world.facilitator,
        record=world.company,
        upload=upload(b"<html><script>alert(1)</script></html>", "nota.html"),
        kind="file",
        caption={"es": "Nota"},
        shows_people=False,
    )
    served = world.client_for("observer").get(
        reverse(
            "attachments:file", kwargs={"slug": world.own.slug, "attachment_id": note.public_id}
        )
    )
    assert served["Content-Type"] == "text/plain; charset=utf-8"
    assert served["Content-Disposition"].startswith("attachment")
    assert 'filename="nota.txt"' in served["Content-Disposition"]


def test_it_records_consent_with_a_button(world: World) -> None:
    attachment = photo(world)
    url = reverse(
        "attachments:consent",
        kwargs={"slug": world.own.slug, "attachment_id": attachment.public_id},
    )
    client = world.client_for("facilitator")
    assert client.post(url, {"consent": "yes"}).status_code == 302
    attachment.refresh_from_db()
    assert attachment.consent and attachment.consent_by == world.member(world.facilitator)
    assert AuditEntry.objects.filter(kind="attachment", action="change").exists()


def test_it_lists_a_records_attachments_in_constant_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    url = reverse(
        "attachments:list",
        kwargs={
            "slug": world.own.slug,
            "attach_to": "partner",
            "attach_to_id": world.company.public_id,
        },
    )
    client = world.client_for("participant")
    photo(world, consent=True)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        photo(world, consent=True)
        pdf(world)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_it_speaks_spanish_on_a_light_page(world: World, settings: Any) -> None:
    settings.LANGUAGE_CODE = "es"
    photo(world)
    url = reverse(
        "attachments:list",
        kwargs={
            "slug": world.own.slug,
            "attach_to": "partner",
            "attach_to_id": world.company.public_id,
        },
    )
    for persona, may_add in (("facilitator", True), ("participant", False)):
        response = world.client_for(persona).get(url, HTTP_ACCEPT_LANGUAGE="es")
        page = response.content.decode()
        assert "Fotos, documentos y enlaces" in page
        assert "queda dentro de la alianza" in page
        assert ("Adjuntar una foto, un documento o un enlace" in page) is may_add
        assert "style=" not in page and "<script" not in page
        assert len(response.content) < 50_000
