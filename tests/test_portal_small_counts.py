"""The public portal publishes no small count of people.

A partnership whose every room holds tiny numbers (a handful of actors per
segment, three respondents of a questionnaire with published results, threats
rated by few groups, an adopted goal) is published; then every portal page
reachable from ``/portal/`` is fetched, following every link under
``/portal/``, and no count of people on them may be 1–4.

The check is structural, not a guess over digits: the ``people`` filter marks
every count of people ``<data class="people" value="…">`` (the number, or
``hidden``), and a scan of the portal's templates requires every number in a
table cell to go through it, or through ``count`` (a count of things that are
not people: threats, partner types), or to be one of the few declared
non-counts (a mean rating, a rank, a date). docs/counts-of-people.md says
which numbers are counts of people and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from tests.conftest import World, join, make_user

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PORTAL_ROOTS = ("portal/index.html", "portal/partnership.html", "portal/small_numbers.html")

# Table cells that print a number which is not a count: each with why.
NOT_COUNTS = {
    "forloop.counter": "a rank",
    "c.value|floatformat:1": "a group's mean severity × likelihood, 1–25",
    "r.mean_severity|floatformat:1": "partner types' mean severity, 1–5",
    "r.mean_likelihood|floatformat:1": "partner types' mean likelihood, 1–5",
    "a.share|floatformat:0": "a percentage, shown only beside its published count",
}
# Filters that mark a value as a count (of people, or of things) or a text.
MARKING_FILTERS = {"people", "count", "date", "join"}
# Attributes that hold words, never numbers.
TEXT_ATTRIBUTES = {"label", "name", "title", "type_label", "status_label", "question", "item"}


# --- The templates ------------------------------------------------------------------


def _portal_templates() -> list[str]:
    """The portal's templates and every template they include, recursively."""
    found: list[str] = []
    queue = list(PORTAL_ROOTS)
    while queue:
        name = queue.pop(0)
        if name in found:
            continue
        found.append(name)
        source = (TEMPLATES / name).read_text()
        queue += re.findall(r'{%\s*include\s+"([^"]+)"', source)
    return found


def _unmarked_cells(name: str, source: str | None = None) -> list[str]:
    """Template outputs inside table cells that print a number nobody has
    declared as a count of people, a count of things, or a non-count."""
    source = (TEMPLATES / name).read_text() if source is None else source
    unmarked = []
    for cell in re.findall(r"<td\b[^>]*>(.*?)</td>", source, flags=re.DOTALL):
        for expression in re.findall(r"{{\s*(.*?)\s*}}", cell):
            variable, *filters = [part.strip() for part in expression.split("|")]
            names = {f.split(":")[0] for f in filters}
            if names & MARKING_FILTERS or expression in NOT_COUNTS:
                continue
            if variable.rsplit(".", 1)[-1] in TEXT_ATTRIBUTES:
                continue
            unmarked.append(f"{name}: {{{{ {expression} }}}}")
    return unmarked


def _template_cases() -> Iterator[object]:
    yield from _portal_templates()


def test_it_finds_the_portal_templates_and_what_they_include() -> None:
    names = _portal_templates()
    assert "portal/_engagement_table.html" in names
    assert "baseline/_portal_summary.html" in names and "baseline/_stress_table.html" in names


@pytest.mark.parametrize("name", list(_template_cases()))
def test_it_prints_every_number_in_a_portal_table_through_a_declared_filter(name: str) -> None:
    assert _unmarked_cells(name) == []


def test_it_would_catch_a_count_printed_bare() -> None:
    source = (
        "<tr><td>{{ r.actors }}</td><td>{{ r.actors|people }}</td><td>{{ r.label }}</td>"
        '<td class="x">{% if a %}{{ a.respondents|floatformat:"-2" }}{% endif %}</td></tr>'
    )
    assert _unmarked_cells("probe.html", source) == [
        "probe.html: {{ r.actors }}",
        'probe.html: {{ a.respondents|floatformat:"-2" }}',
    ]


# --- The pages ----------------------------------------------------------------------


class _Page(HTMLParser):
    """The links of a page and the values of its counts of people."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.people: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag == "data" and "people" in (found.get("class") or "").split():
            self.people.append(found.get("value") or "")


def walk_portal(client: object) -> dict[str, _Page]:
    """Every page under /portal/ reachable from /portal/, parsed."""
    pages: dict[str, _Page] = {}
    queue = ["/portal/"]
    while queue:
        path = queue.pop(0)
        if path in pages:
            continue
        response = client.get(path)  # type: ignore[attr-defined]
        assert response.status_code == 200, path
        page = _Page()
        page.feed(response.content.decode())
        pages[path] = page
        for href in page.links:
            target = urlparse(urljoin(path, href))
            if not target.netloc and target.path.startswith("/portal/"):
                queue.append(target.path)
    return pages


def _small(value: str) -> bool:
    """A published count of people of more than zero and under five (a weighted
    count may carry decimals: 2.5 people is as small as 2)."""
    if value == "hidden":
        return False
    return 0 < float(value) < 5


def test_it_reads_a_weighted_small_count_as_small() -> None:
    assert [_small(v) for v in ("hidden", "0", "2.5", "4", "5", "1234")] == [
        False,
        False,
        True,
        True,
        False,
        False,
    ]


@pytest.fixture
def tiny(world: World) -> World:
    """The own partnership, published, with tiny numbers in every room."""
    from baseline import services as baseline
    from baseline.models import Dimension
    from consultations.analysis import refresh_aggregates
    from goals import services as goals
    from partnerships import services as partnerships
    from partnerships.models import Role
    from stakeholders import services as stakeholders
    from stakeholders.models import Engagement, Segment
    from tests import consultations_factories as factories

    own = world.own
    partnerships.set_published(actor=world.facilitator, partnership=own, published=True)
    # The map: three women's groups (one engaged), two youth groups, one of each
    # partner type but the facilitator's.
    women = Segment.objects.get(partnership=own, code="women")
    youth = Segment.objects.get(partnership=own, code="youth")
    for i, (segment, kind) in enumerate(
        [(women, "community"), (women, "community"), (women, "government"), (youth, "company")]
    ):
        actor = stakeholders.create_actor(
            by=world.facilitator,
            partnership=own,
            name=f"Invented group {i}",
            kind="group",
            partner_type=kind,
            segments=[segment],
        )
        if i == 0:
            stakeholders.assess(
                by=world.facilitator,
                actor=actor,
                assessed_by=world.community,
                influence=3,
                interest=4,
                capacity=3,
                engagement=Engagement.INVOLVE,
            )
    # The baseline: two threats, rated by two groups, published.
    economic = Dimension.objects.get(partnership=own, code="economic")
    for title in ("Invented road closure", "Invented price collapse"):
        threat = baseline.create_threat(
            by=world.facilitator, partnership=own, title=title, dimensions=[economic]
        )
        for group in ("community", "company"):
            baseline.rate_threat(
                by=world.facilitator, threat=threat, partner_type=group, severity=4, likelihood=3
            )
    baseline.set_baseline_published(by=world.facilitator, partnership=own, published=True)
    # A questionnaire answered by three people, its results refreshed (published).
    q = factories.questionnaire(own, title="Invented water survey")
    water = factories.question(q, "water", "single_choice")
    factories.many(q, 2, {water: "water"})
    factories.respond(q, {water: "roads"})
    refresh_aggregates(q.pk)
    # An adopted goal: each partner type's own representative endorses it.
    community_rep = make_user("tiny-community-rep@example.test")
    join(own, world.facilitator, community_rep, Role.PARTNER_REPRESENTATIVE, world.community)
    goal = goals.create_goal(by=world.facilitator, partnership=own, title={"es": "Invented goal"})
    goals.open_endorsement(by=world.facilitator, goal=goal)
    for user, partner in ((world.company_rep, world.company), (community_rep, world.community)):
        goals.endorse(by=user, goal=goal, partner=partner, position="endorse")
    return world


def test_it_publishes_no_small_count_of_people_on_any_portal_page(tiny: World) -> None:
    pages = walk_portal(tiny.client_for("anonymous"))
    home = f"/portal/{tiny.own.slug}/"
    assert {"/portal/", home, "/portal/small-numbers/"} <= set(pages)
    small = {path: [v for v in page.people if _small(v)] for path, page in pages.items()}
    assert {path: values for path, values in small.items() if values} == {}
    # Not vacuous: the engagement table's counts went through the filter, and the
    # women's three groups (one engaged) are hidden rather than shown.
    counts = pages[home].people
    assert counts.count("hidden") >= 3 and len(counts) >= 20
    assert all(v == "hidden" or float(v) >= 0 for v in counts)


def test_it_hides_each_segment_line_so_no_count_comes_back_by_subtraction(tiny: World) -> None:
    from stakeholders import inclusion
    from stakeholders.hooks import engagement_summary

    summary = engagement_summary(tiny.own.pk)
    women = next(r for r in summary["by_segment"] if r.code == "women")
    assert (women.actors, women.engaged) == (None, None)
    assert women.status == inclusion.PRESENT  # the state is words, not a count
    community = next(r for r in summary["by_partner_type"] if r.code == "community")
    assert (community.actors, community.partners) == (None, None)
    migrants = next(r for r in summary["by_segment"] if r.code == "migrants")
    assert (migrants.actors, migrants.engaged, migrants.partners) == (0, 0, 0)


def test_it_shows_counts_of_five_and_more_with_what_would_reveal_a_small_one_hidden(
    world: World,
) -> None:
    from stakeholders import inclusion, services
    from stakeholders.models import Engagement, Segment

    women = Segment.objects.get(partnership=world.own, code="women")
    for i in range(7):
        actor = services.create_actor(
            by=world.facilitator,
            partnership=world.own,
            name=f"Invented women's group {i}",
            segments=[women],
        )
        if i < 2:
            services.assess(
                by=world.facilitator,
                actor=actor,
                assessed_by=world.community,
                influence=3,
                interest=3,
                capacity=3,
                engagement=Engagement.COLLABORATE,
            )
    rows = {r.code: r for r in inclusion.for_viewer(inclusion.by_segment(world.own), None)}
    # 7 on the map, 2 engaged: the 2 is hidden, and so is nothing that gives it back
    # (the 5 not engaged are not shown at all; 7 alone pins nothing).
    assert (rows["women"].actors, rows["women"].engaged) == (7, None)
    exact = {r.code: r for r in inclusion.by_segment(world.own)}
    assert (exact["women"].actors, exact["women"].engaged) == (7, 2)


@pytest.mark.parametrize(("persona", "hidden"), [("facilitator", False), ("company_rep", True),
                                                  ("participant", True), ("observer", True)])  # fmt: skip
def test_it_hides_small_inclusion_counts_from_roles_without_clearance(
    tiny: World, persona: str, hidden: bool
) -> None:
    page = _Page()
    url = f"/p/{tiny.own.slug}/map/inclusion/"
    page.feed(tiny.client_for(persona).get(url).content.decode())
    assert ("hidden" in page.people) is hidden
    assert any(_small(v) for v in page.people) is not hidden  # exact: the women's 3 groups
