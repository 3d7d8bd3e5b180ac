"""The house keeps its shape: no import circles, and no import running back up.

Every module of every room is read (its syntax tree, nothing is run) and each
import of ours becomes an arrow, wherever it stands: at the top, inside a
function, or under ``TYPE_CHECKING``; a circle of type-only imports still
ties the modules together for whoever reads them. Two rules follow:

- no circle: no module reaches itself by following arrows;
- one way: a room imports only rooms on lower floors (``FLOORS``), never one
  on its own floor or above. A later room plugs into an earlier one through
  the earlier one's hooks (``partnerships.stepper.progress``,
  ``baseline.services_setup.register_code_uses``, …) and background work is
  asked for by name (``partnerships.background``).

``docs/architecture.md`` describes the floors. A new room gets a floor here.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

pytestmark = pytest.mark.database_free

ROOT = Path(__file__).resolve().parent.parent

# Room -> floor: the ground floor is 1. Rooms on one floor do not import each other.
FLOORS = {
    "accounts": 1,
    "partnerships": 2,
    "stakeholders": 3,
    "portal": 3,
    "notifications": 3,
    "attachments": 3,
    "baseline": 4,
    "discussion": 4,
    "consultations": 5,
    "commonground": 6,
    "goals": 7,
    "charter": 8,
    "decisions": 9,
    "actions": 10,
    "meetings": 11,
    "api": 12,
    "hsbp": 13,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_house() -> dict[str, str]:
    """Every module of every room: its dotted name and its source."""
    return {
        module_name(path): path.read_text(encoding="utf-8")
        for room in FLOORS
        for path in sorted((ROOT / room).rglob("*.py"))
    }


def imported(module: str, source: str, known: Iterable[str]) -> set[str]:
    """The modules of ours that ``module`` imports, anywhere in its source."""
    known = set(known)
    package = module if _is_package(module, known) else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from a import b``: the module a.b when there is one, else a.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            # ``import a.b.c`` of a module we do not have names its nearest package we do.
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def _is_package(module: str, known: set[str]) -> bool:
    return any(other.startswith(module + ".") for other in known)


def arrows(house: Mapping[str, str]) -> dict[str, set[str]]:
    return {module: imported(module, source, house) for module, source in house.items()}


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's
    algorithm, without recursion: a deep house must not hit Python's limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def back_up(graph: Mapping[str, set[str]]) -> list[str]:
    """Every arrow from a room to one on its own floor or above."""
    wrong = []
    for module, targets in sorted(graph.items()):
        room = module.split(".")[0]
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != room and FLOORS[other] >= FLOORS[room]:
                wrong.append(f"{module} -> {target}")
    return wrong


@pytest.fixture(scope="module")
def house_arrows() -> dict[str, set[str]]:
    return arrows(read_house())


def test_it_reads_every_room(house_arrows: dict[str, set[str]]) -> None:
    rooms = {module.split(".")[0] for module in house_arrows}
    assert rooms == set(FLOORS)
    # Every top-level package of ours has a floor (a new room must be placed).
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if (path.parent / "apps.py").exists() or path.parent.name == "hsbp"
    }
    assert packages <= set(FLOORS), packages - set(FLOORS)
    assert sum(len(targets) for targets in house_arrows.values()) > 500


def test_it_has_no_import_circles(house_arrows: dict[str, set[str]]) -> None:
    assert circles(house_arrows) == []


def test_it_has_no_import_running_back_up(house_arrows: dict[str, set[str]]) -> None:
    assert back_up(house_arrows) == []


def test_it_finds_a_circle_and_an_arrow_back_up_when_there_are() -> None:
    """The checks above are only worth their silence if they can speak."""
    planted = {
        "partnerships": "",
        "partnerships.models": "from partnerships import permissions\n",
        "partnerships.permissions": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from partnerships.models import Member\n"
        ),
        "baseline": "",
        "baseline.services": "def f():\n    from consultations.models import Response\n",
        "consultations": "",
        "consultations.models": "from ..baseline import services\n",
    }
    graph = arrows(planted)
    assert graph["consultations.models"] == {"baseline.services"}
    assert circles(graph) == [
        ["baseline.services", "consultations.models"],
        ["partnerships.models", "partnerships.permissions"],
    ]
    assert back_up(graph) == ["baseline.services -> consultations.models"]


def test_it_makes_every_room_declare_its_views() -> None:
    # The deny-by-default middleware covers the packages it finds in the checkout:
    # a new room is covered without anyone remembering to list it.
    from accounts.access import OWN_PACKAGES

    assert {p.rstrip(".") for p in OWN_PACKAGES} >= set(FLOORS)


def test_it_installs_every_room_with_the_hsbp_command() -> None:
    # The `hsbp` command imports the installed packages: a room missing from
    # pyproject's list is "No module named ..." for every management command.
    import tomllib

    found = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = found["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {name.rstrip("*") for name in include} >= set(FLOORS)
