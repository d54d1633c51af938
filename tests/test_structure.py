"""The shape of the code: only the embedded backend touches the engine's store class, nothing reaches past the
store protocol, and no import circle runs among the store, queries and sources modules (read with ``ast``)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mcgraph"
ENGINE_MODULE = "mcgraph.store.embedded"
#: The embedded backend's own helper: rebuilding a store folder (a replace that copies the other graphs).
ENGINE_HELPERS = {"mcgraph.store.rebuild"}

#: Modules that still use the engine's store class or ``.oxigraph``, each removed by the helper named (issue 10/13):
#: this list may only shrink.
NOT_YET_MOVED = {
    "mcgraph.credentials.jsonld": "a scratch in-memory pyoxigraph.Store for JSON-LD framing (hardening work)",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in PACKAGE.rglob("*.py")}


def imports(name: str, tree: ast.Module) -> set[str]:
    """The mcgraph modules ``name`` imports anywhere (function-local imports included), resolved."""
    package = name if (PACKAGE.parent / name.replace(".", "/") / "__init__.py").exists() else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mcgraph")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("mcgraph"):
                continue
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names if f"{target}.{a.name}" in modules()}
    return {m for m in found if m in modules() and m != name}


def engine_uses(tree: ast.Module) -> list[str]:
    """Where a module uses ``pyoxigraph.Store`` or a store's ``.oxigraph`` attribute."""
    aliases = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
               if a.name == "pyoxigraph"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "pyoxigraph" and any(a.name == "Store" for a in node.names):
            found.append(f"line {node.lineno}: from pyoxigraph import Store")
        elif isinstance(node, ast.Attribute) and node.attr == "oxigraph":
            found.append(f"line {node.lineno}: .oxigraph")
        elif (isinstance(node, ast.Attribute) and node.attr == "Store" and isinstance(node.value, ast.Name)
              and node.value.id in aliases):
            found.append(f"line {node.lineno}: {node.value.id}.Store")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and node.args and isinstance(node.args[0], (ast.Name, ast.Attribute))
              and ast.unparse(node.args[0]).split(".")[-1] in ("store", "_store")):
            found.append(f"line {node.lineno}: getattr({ast.unparse(node.args[0])}, …) reaches past the protocol")
    return found


def test_the_modules_were_read() -> None:
    assert {"mcgraph.store", "mcgraph.store.base", ENGINE_MODULE, "mcgraph.queries", "mcgraph.sources.rdf"} <= set(modules())
    assert "mcgraph.store.base" in imports("mcgraph.store.embedded", modules()["mcgraph.store.embedded"])


def test_only_the_embedded_backend_touches_the_engine_store() -> None:
    offenders = {name: uses for name, tree in modules().items()
                 if name != ENGINE_MODULE and name not in ENGINE_HELPERS and (uses := engine_uses(tree))}
    unexpected = {k: v for k, v in offenders.items() if k not in NOT_YET_MOVED}
    assert unexpected == {}, "use the GraphStore protocol (mcgraph.store) instead"
    assert engine_uses(modules()[ENGINE_MODULE]), "the check must see the embedded backend's own use"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}}) is None


@pytest.mark.parametrize("prefixes", [("mcgraph.store", "mcgraph.queries", "mcgraph.sources", "mcgraph.rdf_io")])
def test_no_import_circle_among_store_queries_sources(prefixes: tuple[str, ...]) -> None:
    def inside(m: str) -> bool:
        return any(m == p or m.startswith(p + ".") for p in prefixes)

    # a package's __init__ re-exporting its own modules is not a circle of the design
    graph = {name: {m for m in imports(name, tree) if inside(m) and not name.startswith(m + ".")}
             for name, tree in modules().items() if inside(name)}
    assert _cycle(graph) is None


def test_the_store_imports_nothing_above_it() -> None:
    allowed = ("mcgraph.store", "mcgraph.errors", "mcgraph.namespaces", "mcgraph.resources", "mcgraph.rdf_io")
    for name, tree in modules().items():
        if name == "mcgraph.store" or name.startswith("mcgraph.store."):
            above = {m for m in imports(name, tree) if not any(m == a or m.startswith(a + ".") for a in allowed)}
            assert above == set(), f"{name} imports {sorted(above)}"
