"""Every form the URL resolver can reach survives a round trip, in Spanish and
in English: rendered with its initial values, resubmitted unchanged, it is
accepted (a redirect or a success page; no error shown, no 4xx, no 500).

This is the test that would have caught "07/12/2026" in a date input, a
localised "2,5" that the form then refuses, or a required English field on a
Spanish-only page. It walks every page of ours (from the resolver, like the
permission matrix) as a facilitator, a partner representative, a participant,
the public and an invitee; parses every ``<form method="post">`` with the
values a browser would send; and POSTs it back, inside a savepoint that is
rolled back so that each submission starts from the same world.

The parser sends what a browser would: a date or number input keeps only a
value the browser can read (``07/12/2026`` in a date input, ``2,5`` in a number
input are dropped, and reported as failures). A new record's form arrives
blank; when it is refused as it stands, its blank fields are filled in (the
required ones, then groups of boxes, then text, then numbers; nothing that
the page filled in is changed) and it must then be accepted.

The world is built once for the module (one world, both languages); each POST
route is then one test per language, so that a failing form of one room can be
marked ``xfail(strict=True)`` naming that room while the others stay strict.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, resolve
from django.utils import translation

from partnerships import services
from partnerships.models import Role, Step
from partnerships.shortlinks import short_link_for
from tests import (
    conftest,
    matrix_actions,
    matrix_attachments,
    matrix_baseline,
    matrix_charter,
    matrix_commonground,
    matrix_consultations,
    matrix_decisions,
    matrix_meetings,
    matrix_notify,
)
from tests.test_permission_matrix import OWN_ROUTES, Route

# The databases are set up for marked tests only; the world itself is built
# once, by the module-scoped fixture below.
# Whether a form renders what its address accepts is a matter of forms, widgets
# and locales, not of the database: run on SQLite only (CI's time; every page's
# queries run on PostgreSQL in the permission matrix and the rooms' tests).
pytestmark = [pytest.mark.django_db, pytest.mark.one_database]

LANGUAGES = ("es", "en")
# Who walks the pages: every role that fills in forms, the public (public
# links) and someone holding an invitation.
PERSONAS = ("facilitator", "company_rep", "participant", "anonymous", "invitee")

# Forms that cannot be resubmitted unchanged by their nature, with the reason.
# Their submission must still not crash (no 500).
NOT_RESUBMITTABLE: dict[str, str] = {
    "stakeholders:import": "an upload form: a browser sends no file unless one is chosen",
    "baseline:locality_import": "an upload form: a browser sends no file unless one is chosen",
    "consultations:session_entry": "an upload form: a browser sends no file unless one is chosen",
    "attachments:add": "an upload form: a browser sends no file unless one is chosen",
}

# What a person must choose or type in a new record's form that no generic
# filling of its blanks can guess (one of two alternatives, a syntax).
BLANK_HINTS: dict[str, dict[str, str]] = {
    "baseline:rate": {"partner_type": "community", "segment": ""},
    "baseline:condition_create": {"partner_type": "community", "segment": "", "locality": ""},
    # A general decision: the other types need a draft charter, a partner, a spending.
    "decisions:create": {"kind": "general"},
    # A place (or an online link, a web address) and the times: no generic text.
    "meetings:create": {
        "starts_time": "09:00",
        "ends_time": "11:00",
        "place": "Salón comunal",
        "online_link": "",
    },
    # A decision type put to a vote: the others need a draft charter, a partner.
    "meetings:decision": {"kind": "general"},
    # Money needs an amount in a currency; staff time needs only what and when.
    "actions:commit": {"kind": "staff_time", "currency": ""},
}

# Pages whose form appears only once a choice made by a link is in the address
# (a question's kind is chosen first, then its form asks only what it needs).
QUERY_VARIANTS: dict[str, list[str]] = {
    "consultations:question_add": [
        "?kind=single_choice",
        "?kind=multiple_choice",
        "?kind=scale",
        "?kind=number",
        "?kind=free_text",
        "?kind=ranking",
        "?kind=threat_rating",
    ],
}

# Pages that only one persona opens: an invitation link is its invitee's.
ONLY_FOR: dict[str, str] = {"partnerships:invitation": "invitee"}

# Forms that one persona cannot submit by design, with the reason.
# (The only facilitator is told before being asked whether to leave, so no
# such form is offered to them.)
REFUSED_BY_DESIGN: dict[tuple[str, str], str] = {}

# POST routes that no page offers as a form to anyone, with the reason.
NO_FORM: dict[str, str] = {
    # The charter's forms of other states than the world's (a charter in
    # force and a draft amendment): tests/test_charter_pages.py submits them.
    "charter:amend": "offered only while no charter is in the making",
    "charter:start": "offered only while no charter is in the making",
    "charter:withdraw": "offered only while a charter is under adoption",
    "charter:position": "offered only while a first charter is under adoption",
}

# Known failures of other rooms' forms, being fixed by those rooms' helpers:
# (route name) -> reason naming the room. Strict: a fix makes the test fail
# until the mark is removed.
ROOM_FAILURES: dict[str, str] = {}


@dataclass
class Control:
    """One named control as a browser would submit it: ``values`` is what it
    sends (none for an unchecked box), ``options`` what it could send."""

    name: str
    kind: str
    values: list[str]
    options: list[str] = field(default_factory=list)
    required: bool = False
    # A value in the HTML that the browser cannot read and drops, e.g.
    # "07/12/2026" in a date input or "2,5" in a number input.
    unreadable: str = ""


@dataclass
class Form:
    action: str
    controls: list[Control] = field(default_factory=list)
    has_file: bool = False
    submitter: tuple[str, str] | None = None
    submit_seen: bool = False

    def data(self, *, fill: str = "", hints: dict[str, str] | None = None) -> dict[str, list[str]]:
        """What the browser sends. ``fill``: as if someone had filled in the
        blanks of a new record's form, and changed nothing else: "required"
        fills the fields marked required, "boxes" also ticks the first of a
        group of boxes none of which is ticked, "text" also fills every blank
        text field, "all" also every blank number."""
        data: dict[str, list[str]] = {}
        boxes: dict[str, int] = {}
        for control in self.controls:
            if control.kind == "checkbox":
                boxes[control.name] = boxes.get(control.name, 0) + 1
        ticked = {c.name for c in self.controls if c.kind == "checkbox" and c.values}
        for control in self.controls:
            values = control.values
            if fill and not control.unreadable and _fills(control, fill, boxes):
                values = _filled(control, values, ticked)
                if control.kind == "checkbox" and values:
                    ticked.add(control.name)
            for value in values:
                data.setdefault(control.name, []).append(value)
        if fill and hints:
            data.update({name: [value] for name, value in hints.items()})
        if self.submitter is not None:
            data.setdefault(self.submitter[0], []).append(self.submitter[1])
        return data


def _fills(control: Control, fill: str, boxes: dict[str, int]) -> bool:
    if control.required:
        return True
    if fill == "required" or control.kind in ("hidden", "select", "radio", "select-multiple"):
        return False
    if control.kind == "checkbox":
        return boxes[control.name] > 1  # a group of choices, not a yes/no box
    if fill == "boxes":
        return False
    return fill == "all" or control.kind in ("text", "textarea")


_BLANK_TEXT = {
    "email": "round-trip@example.test",
    "url": "https://example.test/",
    "tel": "+57 300 000 0000",
    "number": "3",
    "date": "2026-01-05",
}


def _filled(control: Control, values: list[str], ticked: set[str]) -> list[str]:
    if control.kind == "hidden":
        return values
    if control.kind == "checkbox":
        # A group of boxes none of which is ticked: tick the first one.
        return control.options if control.name not in ticked else values
    if control.kind in ("select", "select-multiple", "radio"):
        if any(values):
            return values
        return [next((o for o in control.options if o), "")][:1]
    if values in ([], [""]):
        return [_BLANK_TEXT.get(control.kind, "roundtrip")]
    return values


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HTML_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")


def _browser_value(kind: str, value: str) -> tuple[str, str]:
    """(what the browser keeps, what it dropped): a date or number input keeps
    only a value it can read (the HTML value sanitisation algorithm)."""
    if kind == "date" and value and not _ISO_DATE.fullmatch(value):
        return "", value
    if kind == "number" and value and not _HTML_NUMBER.fullmatch(value):
        return "", value
    return value, ""


class FormParser(HTMLParser):
    """The ``<form method="post">`` of a page, with what a browser would send
    when its first submit button is pressed and nothing was changed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: tuple[str, list[str], bool] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self._form = Form(action=attrs.get("action", ""))
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name", "")
        disabled = "disabled" in attrs
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                form.has_file = True
            elif kind in ("submit", "image"):
                self._submit(form, name, attrs.get("value", ""), disabled)
            elif kind in ("button", "reset") or not name or disabled:
                return
            elif kind == "radio":
                group = next(
                    (c for c in form.controls if c.name == name and c.kind == "radio"), None
                )
                if group is None:
                    group = Control(name, "radio", [], required="required" in attrs)
                    form.controls.append(group)
                group.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    group.values = [attrs.get("value", "on")]
            elif kind == "checkbox":
                value = attrs.get("value", "on")
                form.controls.append(
                    Control(
                        name,
                        kind,
                        [value] if "checked" in attrs else [],
                        [value],
                        required="required" in attrs,
                    )
                )
            else:
                kept, dropped = _browser_value(kind, attrs.get("value", ""))
                form.controls.append(
                    Control(name, kind, [kept], required="required" in attrs, unreadable=dropped)
                )
        elif tag == "button":
            if attrs.get("type", "submit").lower() == "submit":
                self._submit(form, name, attrs.get("value", ""), disabled)
        elif tag == "select" and name and not disabled:
            multiple = "multiple" in attrs
            self._select = Control(
                name,
                "select-multiple" if multiple else "select",
                [],
                required="required" in attrs,
            )
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "selected": "selected" in attrs,
                "text": [],
            }
        elif tag == "textarea" and name and not disabled:
            self._textarea = (name, [], "required" in attrs)

    def _submit(self, form: Form, name: str, value: str, disabled: bool) -> None:
        if not form.submit_seen and not disabled:
            form.submit_seen = True
            if name:
                form.submitter = (name, value)

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"].append(data)
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        form = self._form
        if tag == "option" and self._option is not None:
            self._close_option()
        elif tag == "select" and self._select is not None and form is not None:
            if self._option is not None:
                self._close_option()
            select = self._select
            if select.kind == "select":
                # One value: the last selected option, else the first option.
                select.values = select.values[-1:] or select.options[:1]
            form.controls.append(select)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            name, parts, required = self._textarea
            text = "".join(parts)
            # A browser drops the one newline that follows <textarea>.
            value = text[1:] if text.startswith("\n") else text
            form.controls.append(Control(name, "textarea", [value], required=required))
            self._textarea = None
        elif tag == "form" and form is not None:
            self.forms.append(form)
            self._form = None

    def _close_option(self) -> None:
        assert self._option is not None and self._select is not None
        value = self._option["value"]
        if value is None:
            value = "".join(self._option["text"]).strip()
        self._select.options.append(value)
        if self._option["selected"]:
            self._select.values.append(value)
        self._option = None


def post_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


# An error a page shows: the shared form partial's, a field marked invalid,
# or an error message after a redirect.
ERROR_MARKS = re.compile(r'class="[^"]*\b(errors|errorlist|invalid|msg error)\b')


ERROR_CHARS = 600


def shown_errors(html: str) -> str:
    """The text around the first error a page shows, or ""."""
    found = ERROR_MARKS.search(html)
    if found is None:
        return ""
    text = re.sub(r"<[^>]+>", " ", html[found.start() : found.start() + 600])
    return " ".join(text.split())[:ERROR_CHARS]


@dataclass
class Outcome:
    page: str
    persona: str
    ok: bool
    detail: str


def _build_world() -> conftest.World:
    fixture: Any = conftest.world
    unwrap = getattr(fixture, "_get_wrapped_function", None)
    function = unwrap() if unwrap is not None else fixture.__wrapped__
    return function(None)  # type: ignore[no-any-return]


def _values(world: conftest.World) -> dict[str, str | list[str]]:
    """Concrete values for the URL arguments of every page: the core's, and
    each room's own (from its part of the permission matrix)."""
    from accounts.models import ApiToken
    from partnerships.models import ExportJob
    from stakeholders import services as map_services

    invitee = conftest.make_user("invitee@example.test")
    invitation = services.invite(
        actor=world.facilitator, partnership=world.own, email=invitee.email, role=Role.OBSERVER
    )
    first = map_services.create_actor(by=world.facilitator, partnership=world.own, name="Actor A")
    second = map_services.create_actor(by=world.facilitator, partnership=world.own, name="Actor B")
    relation = map_services.relate(
        by=world.facilitator,
        partnership=world.own,
        source=first,
        target=second,
        relation_type="works_with",
    )
    token, _raw = ApiToken.issue(user=world.facilitator, name="round trip")
    # A completed step (its page offers to reopen it) and an open one.
    services.complete_step(
        actor=world.facilitator,
        partnership=world.own,
        step=Step.PRELIMINARY,
        completed_on=datetime.date(2026, 1, 5),
        note="Installation meeting held",
        reason="The partners agreed to start at the installation meeting.",
    )
    values: dict[str, str | list[str]] = {
        "slug": world.own.slug,
        # A partner with a representative, and one that could still be deleted.
        "partner_id": [str(world.company.public_id), str(world.community.public_id)],
        "member_id": str(world.member(world.observer).public_id),
        "invitation_id": str(invitation.public_id),
        "step": [Step.PRELIMINARY.value, Step.SITUATIONAL_ANALYSIS.value],
        "token": services.invitation_token(invitation),
        "token_id": str(token.pk),
        "actor_id": str(first.public_id),
        "relation_id": str(relation.public_id),
        "fmt": "csv",
        "code": short_link_for(world.own, "/portal/").code,
        "export_id": str(
            ExportJob.objects.create(
                partnership=world.own,
                requested_by=world.facilitator,
                kind="consultations.results",
                title="Round trip",
            ).public_id
        ),
    }
    for room in (
        matrix_baseline,
        matrix_consultations,
        matrix_commonground,
        matrix_notify,
        matrix_charter,
        matrix_decisions,
        matrix_attachments,
        matrix_actions,
        matrix_meetings,
    ):
        values.update(room.values(world.own, world.facilitator))
    # A goal still in draft too (its page offers to open the endorsement).
    from goals import services as goal_services

    draft = goal_services.create_goal(
        by=world.facilitator, partnership=world.own, title={"en": "Draft goal", "es": "Borrador"}
    )
    values["goal_id"] = [str(values["goal_id"]), str(draft.public_id)]
    values["action_id"] = matrix_actions.round_trip_values(
        world.own, world.facilitator, str(values["action_id"])
    )
    values["decision_id"] = matrix_decisions.round_trip_values(
        world.own, world.facilitator, str(values["decision_id"])
    )
    values["meeting_id"] = matrix_meetings.round_trip_values(
        world.own, world.facilitator, str(values["meeting_id"])
    )
    return values


def _clients(world: conftest.World, language: str) -> dict[str, Client]:
    from accounts.models import User

    clients = {}
    for persona in PERSONAS:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        user = (
            User.objects.get(email="invitee@example.test")
            if persona == "invitee"
            else getattr(world, persona, None)
        )
        if user is not None:
            client.force_login(user)
        clients[persona] = client
    return clients


def _route_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)
    return name if any(r.name == name for r in OWN_ROUTES) else None


def _post(client: Client, action: str, data: dict[str, list[str]]) -> tuple[bool, str]:
    with transaction.atomic():
        try:
            response = client.post(action, data, follow=True)
        finally:
            transaction.set_rollback(True)
    chain = [*(code for _url, code in response.redirect_chain), response.status_code]
    bad = [code for code in chain if code >= 400]
    if bad:
        return False, f"HTTP {bad[0]}: {shown_errors(response.content.decode(errors='replace'))}"
    if "html" not in response.get("Content-Type", ""):
        return True, ""
    errors = shown_errors(response.content.decode())
    return (not errors), errors


FILLS = ("required", "boxes", "text", "all")


def _has_blanks(form: Form) -> bool:
    return any(
        c.values in ([], [""]) for c in form.controls if c.kind not in ("hidden", "checkbox")
    )


def submit(client: Client, action: str, form: Form, hints: dict[str, str]) -> tuple[bool, str]:
    """Resubmit a form as rendered. A new record's form (one with blank fields)
    that is refused as it stands is tried once more with its blanks filled in,
    and nothing else changed: what the page put in must still be accepted."""
    unreadable = [f"{c.name}={c.unreadable!r}" for c in form.controls if c.unreadable]
    if unreadable:
        return False, "the browser cannot read (and drops) " + ", ".join(unreadable)
    ok, detail = _post(client, action, form.data())
    if ok or not _has_blanks(form):
        return ok, detail
    details = []
    for fill in FILLS:
        ok, detail = _post(client, action, form.data(fill=fill, hints=hints))
        if ok:
            return True, ""
        details.append(f"[{fill}] {detail}")
    return False, "even with its blanks filled in: " + " ".join(details)


def _paths(pattern: str, values: dict[str, str | list[str]]) -> list[str]:
    """The concrete URLs of a pattern: one per value of a multi-valued argument."""
    paths = ["/" + pattern]
    for argument in re.findall(r"<(?:\w+:)?(\w+)>", pattern):
        options = values[argument]
        choices = options if isinstance(options, list) else [options]
        paths = [
            re.sub(rf"<(?:\w+:)?{argument}>", choice, path, count=1)
            for path in paths
            for choice in choices
        ]
    return paths


def walk(
    world: conftest.World, values: dict[str, str | list[str]], language: str
) -> dict[str, list[Outcome]]:
    """Every POST form of every page of ours, submitted unchanged, by route name."""
    outcomes: dict[str, list[Outcome]] = {}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    clients = _clients(world, language)
    for route in OWN_ROUTES:
        if "GET" not in route.callback.hsbp_access.methods:
            continue
        paths = _paths(route.pattern, values)
        paths += [p + q for p in paths for q in QUERY_VARIANTS.get(route.name, [])]
        for path in paths:
            for persona, client in clients.items():
                if route.name in ONLY_FOR and persona != ONLY_FOR[route.name]:
                    continue
                response = client.get(path)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in post_forms(response.content.decode()):
                    action = urljoin(path, form.action) if form.action else path
                    name = _route_name(action)
                    fields = tuple(sorted(c.name for c in form.controls))
                    key = (persona, urlsplit(action).path, fields)
                    if name is None or key in seen:
                        continue
                    seen.add(key)
                    if form.has_file:
                        ok, detail = False, "has a file input"
                    else:
                        ok, detail = submit(client, action, form, BLANK_HINTS.get(name, {}))
                    outcomes.setdefault(name, []).append(Outcome(path, persona, ok, detail))
    return outcomes


class RoundTrips:
    """One world per worker, walked in a language when a test first asks.

    The walk is the module's cost (half a minute a language); with one test
    per language, each xdist worker walks the language its test asks for and
    the two languages are walked in parallel, not each twice."""

    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker
        self._walked: dict[str, dict[str, list[Outcome]]] = {}

    def __getitem__(self, language: str) -> dict[str, list[Outcome]]:
        if language not in self._walked:
            test_settings = override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
                LANGUAGE_CODE="en",
            )
            with self._blocker.unblock(), test_settings, translation.override("en"):
                with transaction.atomic():
                    world = _build_world()
                    self._walked[language] = walk(world, _values(world), language)
                    transaction.set_rollback(True)
        return self._walked[language]


@pytest.fixture(scope="module")
def round_trips(django_db_setup: None, django_db_blocker: Any) -> RoundTrips:
    """Each language's world is rolled back once walked."""
    return RoundTrips(django_db_blocker)


POST_ROUTES: list[Route] = [r for r in OWN_ROUTES if "POST" in r.callback.hsbp_access.methods]


def _problems(outcomes: list[Outcome], route_name: str) -> list[str]:
    """What is wrong with the forms that post to ``route_name``."""
    # The listed exceptions pass on what can be checked of them.
    if route_name in NO_FORM:
        return (
            [f"{route_name} is now offered as a form: remove it from NO_FORM"] if outcomes else []
        )
    if not outcomes:
        return [f"no page offers a form that posts to {route_name}"]
    if route_name in NOT_RESUBMITTABLE:
        return [f"{route_name}: {o.detail}" for o in outcomes if "HTTP 5" in o.detail]
    return [
        f"{route_name}: {o.persona} on {o.page}: {o.detail}"
        for o in outcomes
        if not o.ok and (route_name, o.persona) not in REFUSED_BY_DESIGN
    ]


# Pages whose form posts back to an address that only shows (GET), with the
# room that fixes it (strict, as ROOM_FAILURES).
GET_ONLY_FORMS: dict[str, str] = {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_accepts_every_form_resubmitted_unchanged(
    round_trips: RoundTrips, language: str
) -> None:
    """Every POST route, each form that posts to it as each persona sees it."""
    walked = round_trips[language]
    problems: list[str] = []
    for route in POST_ROUTES:
        found = _problems(walked.get(route.name, []), route.name)
        if route.name in ROOM_FAILURES:
            # Strict: a fix fails the test until the entry is removed.
            if not found:
                problems.append(f"{route.name} is fixed: remove it from ROOM_FAILURES")
            continue
        problems.extend(found)
    # ... and no page offers a form that its own address refuses (GET only).
    get_only = {r.name for r in OWN_ROUTES if "POST" not in r.callback.hsbp_access.methods}
    posting_to_get_only = {name for name in walked if name in get_only}
    problems += [
        f"a form posts to {n}, which refuses POST"
        for n in sorted(posting_to_get_only - set(GET_ONLY_FORMS))
    ]
    problems += [
        f"fixed: remove {n} from GET_ONLY_FORMS"
        for n in sorted(set(GET_ONLY_FORMS) - posting_to_get_only)
    ]
    assert problems == []


def test_it_sends_only_what_a_browser_can_read() -> None:
    html = (
        '<form method="post"><input type="date" name="on" value="07/12/2026">'
        '<input type="number" name="share" value="2,5"><input type="number" name="n" value="2.5">'
        '<select name="s"><option value="a">A</option><option value="b" selected>B</option>'
        "</select><textarea name=t>\nkept</textarea>"
        '<input type="checkbox" name="c" value="x"><button name="go" value="1">Go</button></form>'
    )
    (form,) = post_forms(html)
    assert [c.unreadable for c in form.controls if c.unreadable] == ["07/12/2026", "2,5"]
    assert form.data() == {
        "on": [""],
        "share": [""],
        "n": ["2.5"],
        "s": ["b"],
        "t": ["kept"],
        "go": ["1"],
    }
