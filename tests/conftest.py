"""The test base: two partnerships, so leaks show, and one persona per role.

Personas are fictional roles, never people: ``facilitator``, ``company_rep``,
``participant``, ``observer``, ``outsider`` (a signed-in user with no
membership here), plus ``foreign_facilitator`` who runs the other partnership.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts.models import User
from accounts.totp import activate
from partnerships import services
from partnerships.models import Member, Partner, Partnership, PartnerType, Role
from tests.sample_data import full_data_dir

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "a-long-test-password-2026"


@dataclass
class World:
    own: Partnership
    foreign: Partnership
    facilitator: User
    company_rep: User
    participant: User
    observer: User
    outsider: User
    foreign_facilitator: User
    company: Partner
    community: Partner
    foreign_partner: Partner

    def member(self, user: User, partnership: Partnership | None = None) -> Member:
        return Member.objects.get(user=user, partnership=partnership or self.own)

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(getattr(self, persona))
        return client


def make_user(email: str, **extra: object) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **extra)


def join(
    partnership: Partnership, by: User, user: User, role: str, partner: Partner | None = None
) -> Member:
    invitation = services.invite(
        actor=by, partnership=partnership, email=user.email, role=role, partner=partner
    )
    return services.accept_invitation(user=user, token=services.invitation_token(invitation))


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Real hashing costs ~0.3 s a password: fine for people, slow for a suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_unless_asked(settings: Any) -> Iterator[None]:
    # The product defaults to Spanish; tests read English unless they ask for Spanish.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_cache(settings: Any) -> None:
    # Each test process its own in-memory cache: parallel workers must not
    # clear each other's throttles or layouts.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _clean_cache(_private_cache: None) -> Iterator[None]:
    # Throttles and rate limits live in the cache; each test starts afresh.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The two partnerships and the personas; for a fixture of any scope."""
    facilitator = make_user("facilitator@example.test", display_name="Facilitator persona")
    foreign_facilitator = make_user("foreign-facilitator@example.test")
    own = services.create_partnership(
        creator=facilitator,
        name="Own partnership",
        country="CO",
        area_code="00101",
        locality_name="Cerro Azulejo",
        description="The partnership under test.",
        languages=["es", "en"],
    )
    foreign = services.create_partnership(
        creator=foreign_facilitator,
        name="Foreign partnership",
        country="CO",
        area_code="00102",
        locality_name="Punta Salobre",
        languages=["es"],
    )
    for user in (facilitator, foreign_facilitator):
        activate(user, TOTP_SECRET)
    company = services.add_partner(
        actor=facilitator, partnership=own, name="Test company", partner_type=PartnerType.COMPANY
    )
    community = services.add_partner(
        actor=facilitator,
        partnership=own,
        name="Test community group",
        partner_type=PartnerType.COMMUNITY,
    )
    foreign_partner = services.add_partner(
        actor=foreign_facilitator,
        partnership=foreign,
        name="Foreign company",
        partner_type=PartnerType.COMPANY,
    )
    company_rep = make_user("company-rep@example.test", display_name="Company persona")
    participant = make_user("participant@example.test")
    observer = make_user("observer@example.test")
    outsider = make_user("outsider@example.test")
    join(own, facilitator, company_rep, Role.PARTNER_REPRESENTATIVE, company)
    join(own, facilitator, participant, Role.PARTICIPANT)
    join(own, facilitator, observer, Role.OBSERVER)
    return World(
        own=own,
        foreign=foreign,
        facilitator=facilitator,
        company_rep=company_rep,
        participant=participant,
        observer=observer,
        outsider=outsider,
        foreign_facilitator=foreign_facilitator,
        company=company,
        community=community,
        foreign_partner=foreign_partner,
    )


# The demo, loaded once per module for the modules that test it.
from tests import demo_once as demo_once_module  # noqa: E402
from tests.demo_once import demo_once  # noqa: E402, F401


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    # The demo stays loaded only for a next test that reads it too (tests/demo_once.py).
    if nextitem is None or not demo_once_module.uses_demo(nextitem):
        demo_once_module.HELD.release()


# -- the optional full sample data (tests/sample_data.py) ----------------------

_FULL_DATA_LEFT_OUT = "full_data_left_out"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--full-data",
        action="store_true",
        help="also run the tests marked full_data, on the sample data in HSBP_SAMPLE_DATA "
        "(default ../shared/data)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # After pytest-django's order (its hook runs first): the demo tests side by side.
    demo_once_module.gather(items)
    wanted = [item for item in items if item.get_closest_marker("full_data")]
    if not wanted:
        return
    if config.getoption("--full-data"):
        # Asked for and absent is an error, never a skip that CI could miss.
        needed = {folder for item in wanted for folder in item.get_closest_marker("full_data").args}
        missing = sorted(name for name in needed if not (full_data_dir() / name).is_dir())
        if missing:
            raise pytest.UsageError(
                f"--full-data: {full_data_dir()} has no {', '.join(missing)} folder. Set "
                "HSBP_SAMPLE_DATA to the folder that holds the sample data "
                "(tests/data/README.md says where each part comes from)."
            )
        return
    # Not collected rather than skipped: the default suite is complete without them.
    items[:] = [item for item in items if item not in wanted]
    config.hook.pytest_deselected(items=wanted)
    config.stash[_LEFT_OUT] = len(wanted)


_LEFT_OUT = pytest.StashKey[int]()


def pytest_sessionfinish(session: pytest.Session) -> None:
    # Under xdist the workers collect; they pass the count back to the controller.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output[_FULL_DATA_LEFT_OUT] = session.config.stash.get(_LEFT_OUT, 0)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    count = getattr(node, "workeroutput", {}).get(_FULL_DATA_LEFT_OUT, 0)
    node.config.stash[_LEFT_OUT] = max(node.config.stash.get(_LEFT_OUT, 0), count)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    left_out = config.stash.get(_LEFT_OUT, 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} tests on the full sample data were not collected: "
            "run them with --full-data (tests/data/README.md).",
            yellow=True,
        )
