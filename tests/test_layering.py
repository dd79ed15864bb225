"""The package's shape, checked from its source (AST, nothing imported): which package may import
which, that the core packages stay free of I/O libraries, that no two modules import each other
(directly or round a circle), that PyAV stays inside ``footage.media`` and that modules stay small.

The allowed edges are the architecture written down once: a package may import the ones listed
for it, and the top-level modules of ``footage`` (its types, errors, clock...) are open to all.
An edge that is not listed fails with the importing line named: either the import is against the
flow, or the architecture changed and this table should say so.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "footage"

#: the layers, lower first: each package may import those named here (besides itself and the
#: top-level modules); the CLI may import anything
ALLOWED: dict[str, frozenset[str]] = {
    name: frozenset(deps)
    for name, deps in {
        "media": (),
        "detect": (),
        "pose": (),
        "people": (),
        "embed": ("search",),
        "track": ("detect",),
        "events": (),
        "search": (),
        "ingest": ("media",),
        "store": (),
        "export": ("media", "detect"),
        "scale": ("detect", "ingest", "track", "store"),
        "timeline": ("events", "scale"),
        "pipeline": ("media", "detect", "embed", "track", "events", "search", "ingest", "store", "export", "scale",
                     "timeline", "pose", "people"),
        "live": ("media", "detect", "ingest", "store", "pipeline"),
        "web": ("media", "detect", "events", "search", "ingest", "store", "export", "pipeline", "live", "people"),
    }.items()
}
#: top-level modules that gather the packages (the public API, ``python -m footage``) and so may
#: import them; the other top-level modules import only each other, except ``config``, which
#: gathers every stage's settings and may import the ``params`` modules and nothing else of them
GATHERING = {"__init__": frozenset(ALLOWED), "__main__": frozenset({"cli"})}
#: libraries that do I/O or run models: the core packages reason about data and import none
HEAVY = ("av", "onnxruntime", "sqlite3", "fastapi", "starlette", "ray", "uvicorn", "paho", "PIL", "jinja2")
#: pure packages and modules: decisions over data, unit-tested without files, models or servers
CORE = ("footage.events", "footage.people", "footage.search", "footage.track", "footage.timeline", "footage.export.plan",
        "footage.export.heads",
        "footage.export.flicker", "footage.web.timeline", "footage.types", "footage.time", "footage.errors")
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    """One import statement of a module: what it names, its line, and whether it only runs for
    the type checker (``if TYPE_CHECKING:``) or lazily, inside a function."""

    module: str
    target: str
    line: int
    typing_only: bool
    lazy: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def imports_of(path: Path) -> Iterator[Import]:
    """Every import in ``path``, with the names a ``from footage.x import y`` brings resolved
    to the module ``footage.x.y`` when that is a module of the package."""
    module = module_name(path)
    tree = ast.parse(path.read_text(), str(path))
    typing_lines: set[int] = set()
    lazy_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_lines |= {n.lineno for child in node.body for n in ast.walk(child) if hasattr(n, "lineno")}
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lazy_lines |= {n.lineno for child in node.body for n in ast.walk(child) if hasattr(n, "lineno")}
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node, path.name == "__init__.py")
            targets = [base]
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if _is_module(candidate):
                    targets.append(candidate)
        for target in targets:
            yield Import(module, target, node.lineno, node.lineno in typing_lines, node.lineno in lazy_lines)


def _is_module(name: str) -> bool:
    if not name.startswith("footage"):
        return False
    relative = Path(*name.split("."))
    return (SRC / relative).with_suffix(".py").exists() or (SRC / relative / "__init__.py").exists()


def sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def all_imports() -> list[Import]:
    return [found for path in sources() for found in imports_of(path)]


def package_of(module: str) -> str:
    """``footage.store.moments`` -> ``store``; a top-level module -> its own name."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def is_package(name: str) -> bool:
    return (PACKAGE / name / "__init__.py").exists()


def test_the_source_is_found() -> None:
    assert len(sources()) > 50
    assert any(found.target == "footage.errors" for found in all_imports())


def test_packages_import_along_the_flow() -> None:
    wrong = []
    for found in all_imports():
        if not found.target.startswith("footage.") or found.typing_only:
            continue
        source, target = package_of(found.module), package_of(found.target)
        if source == target or not is_package(target) or source == "cli":
            continue
        if source == "config":
            if not found.target.endswith(".params"):
                wrong.append(f"{found.module}:{found.line} imports {found.target} (config reads only params modules)")
            continue
        if is_package(source):
            allowed = ALLOWED.get(source)
            assert allowed is not None, f"footage.{source} is a package this test does not know: add it to ALLOWED"
        else:
            allowed = GATHERING.get(source, frozenset())
        if target not in allowed:
            wrong.append(f"{found.module}:{found.line} imports {found.target} ({source} -> {target} is not allowed)")
    assert not wrong, "\n".join(wrong)


def test_every_package_has_a_place_in_the_layers() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    unknown = packages - set(ALLOWED) - {"cli", "sample"}
    assert not unknown, f"packages missing from ALLOWED: {sorted(unknown)}"


@pytest.mark.parametrize("core", CORE)
def test_core_modules_import_no_io_library(core: str) -> None:
    wrong = [
        f"{found.module}:{found.line} imports {found.target}"
        for found in all_imports()
        if (found.module == core or found.module.startswith(core + "."))
        and not found.typing_only
        and found.target.split(".")[0] in HEAVY
    ]
    assert not wrong, "\n".join(wrong)


def test_only_media_imports_pyav() -> None:
    wrong = [
        f"{found.module}:{found.line}"
        for found in all_imports()
        if found.target.split(".")[0] == "av" and not found.module.startswith("footage.media")
    ]
    assert not wrong, "PyAV imported outside footage.media: " + ", ".join(wrong)


def test_no_import_cycle_between_modules() -> None:
    """Counting imports inside functions too: a lazy import that closes a circle is still one."""
    graph: dict[str, set[str]] = {}
    for found in all_imports():
        if found.target.startswith("footage") and not found.typing_only and found.target != found.module:
            graph.setdefault(found.module, set()).add(found.target)
    # importing footage.a.b runs footage/__init__ and footage/a/__init__ first; the package
    # __init__ files that only re-export are edges too, so a module that imports its own package's
    # __init__ which imports it back is a circle
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), as circles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_is_over_400_lines() -> None:
    long = {module_name(p): n for p in sources() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_the_cycle_finder_finds_a_circle() -> None:
    """The positive control: a circle of three and a self-contained chain."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"e"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}}) == []
