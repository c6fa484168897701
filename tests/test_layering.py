"""Dependencies run one way:
untoc_tracker -> alerts -> focal -> reports -> instruments -> states -> core.

Every module of every package is parsed (not imported, so an import inside a function counts
too) and each import of another package of the tracker is checked: it goes down the layers,
and it reaches neither another app's back office (admin), its management commands, nor a
private name (one starting with an underscore).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# From the ground floor up: a package may import those before it, never those after it.
LAYERS = ("core", "states", "instruments", "reports", "focal", "alerts", "untoc_tracker")
# What an app keeps to itself; core.admin is the back-office kit, there to be shared.
NOT_SHARED = ("admin", "management")


def modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names imported from it) for every absolute import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def problems(path: Path) -> list[str]:
    own = path.relative_to(ROOT).parts[0]
    found = []
    for line, module, names in imports(path):
        parts = module.split(".")
        other = parts[0]
        if other not in LAYERS or other == own:
            continue
        where = f"{path.relative_to(ROOT)}:{line} imports {module}"
        if LAYERS.index(other) > LAYERS.index(own):
            found.append(f"{where}: {other} is above {own}")
        if other != "core" and any(part in NOT_SHARED for part in parts[1:]):
            found.append(f"{where}: another app's admin or management command")
        private = [p for p in parts[1:] + names if p.startswith("_") and not p.startswith("__")]
        if private:
            found.append(f"{where}: private name {', '.join(private)}")
    return found


def test_every_package_of_the_tracker_is_checked():
    assert {p.relative_to(ROOT).parts[0] for p in modules()} == set(LAYERS)
    assert len(modules()) > 50


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_down_the_layers_and_stay_public(path):
    assert problems(path) == []


def test_an_upward_import_is_found(tmp_path, monkeypatch):
    module = ROOT / "states" / "selectors.py"
    bad = "from reports.admin import ObligationAdmin\nfrom instruments.views import _private\n"
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: bad)
    assert problems(module) == [
        "states/selectors.py:1 imports reports.admin: reports is above states",
        "states/selectors.py:1 imports reports.admin: another app's admin or management command",
        "states/selectors.py:2 imports instruments.views: instruments is above states",
        "states/selectors.py:2 imports instruments.views: private name _private",
    ]
