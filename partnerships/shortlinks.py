"""Short links: a short address and a QR code for a long public link.

Public links carry a signed token and run to about 120 characters; nobody
types that on a phone or reads it aloud at a meeting. ``short_link_for``
gives the same page a short address (``/s/<code>/``), made once per target
and reused; ``follow`` sends a visitor on, and ``qr_code`` draws the short
address as an SVG, server-side (the ``qrcode`` package), so no script is
needed to show it. Templates use ``partnerships/_short_link.html``.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from partnerships.models import Partnership, ShortLink
from partnerships.permissions import public_view


def _path_of(url: str) -> str:
    """The path (and query) of a link of ours; another site's address is refused."""
    parts = urlsplit(url)
    if not parts.path.startswith("/") or parts.path.startswith("//"):
        raise ValueError(f"Not a link of this site: {url!r}")
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _existing(partnership: Partnership, target: str) -> ShortLink | None:
    link: ShortLink | None = ShortLink.objects.filter(
        partnership=partnership, target=target
    ).first()
    return link


def short_link_for(partnership: Partnership, url: str) -> ShortLink:
    """The short link of a public page of this partnership, made on first use.

    Not audited: it changes nothing the partners decide, only how an
    existing public address is written."""
    target = _path_of(url)
    found = _existing(partnership, target)
    if found is not None:
        return found
    for _attempt in range(5):  # a code already taken: draw another
        try:
            with transaction.atomic():
                made: ShortLink = ShortLink.objects.create(partnership=partnership, target=target)
                return made
        except IntegrityError:
            found = _existing(partnership, target)
            if found is not None:  # made meanwhile by another request
                return found
    raise RuntimeError("Could not draw a free short code.")


@public_view()
def follow(request: HttpRequest, code: str) -> HttpResponse:
    """Send the visitor on to the page the short link stands for. The page
    itself decides whether it is still open (a closed questionnaire says so)."""
    link = ShortLink.objects.filter(code=code.lower()).only("target").first()
    if link is None:
        raise Http404
    return HttpResponseRedirect(link.target)


@public_view()
def qr_code(request: HttpRequest, code: str) -> HttpResponse:
    """The short link as a QR code (SVG), for a screen or a printed poster."""
    import qrcode
    import qrcode.image.svg

    link = ShortLink.objects.filter(code=code.lower()).only("code").first()
    if link is None:
        raise Http404
    address = request.build_absolute_uri(reverse("short_link", args=[link.code]))
    image = qrcode.make(
        address, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=2
    )
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
