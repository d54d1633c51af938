"""Replacing a graph by rebuilding the store folder: the fast way when the graph is most of the store.

Oxigraph deletes a triple at about twice the cost of bulk-loading one, and has no bulk delete and no graph
rename (a graph's name is part of every stored quad). So a replace that changes most of a large graph costs
about three fresh loads when done in place. Rebuilding costs about one: every *other* graph is copied into a
new folder by bulk load, the new content is bulk-loaded beside them, and the folders are swapped.

The folders, beside the store folder ``<name>``:

* ``.<name>.rebuild-<id>`` — being built (the store folder is still open and locked by the process building it);
* ``.<name>.rebuilt-<id>`` — complete: renamed so in one step once built and closed;
* ``.<name>.old-<id>`` — the previous store folder, removed once the rebuilt one has taken its name.

A process stopped at any point leaves a store that :func:`recover_folder` makes whole on the next open: stopped
before the swap, the store folder is as it was and the rebuilt folder is removed (the replace did not happen);
stopped between the two renames of the swap, the rebuilt folder takes the store's name (the replace happened);
stopped after them, the old folder is removed.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import BinaryIO
from pathlib import Path

import pyoxigraph as ox

REBUILD, REBUILT, OLD = "rebuild", "rebuilt", "old"


def sibling(path: Path, kind: str, ident: str) -> Path:
    """The folder of ``kind`` (:data:`REBUILD`, :data:`REBUILT`, :data:`OLD`) beside store folder ``path``."""
    return path.parent / f".{path.name}.{kind}-{ident}"


def siblings(path: Path, kind: str) -> list[Path]:
    """Every folder of ``kind`` beside ``path`` (left by this or a stopped process)."""
    prefix = f".{path.name}.{kind}-"
    try:
        return sorted(p for p in path.parent.iterdir() if p.name.startswith(prefix) and p.is_dir())
    except OSError:
        return []


def can_rebuild(path: Path | None) -> bool:
    """Whether a rebuild is possible: an on-disk store folder (not a symbolic link, which the swap would replace
    by a folder) whose parent folder takes new folders."""
    return path is not None and not path.is_symlink() and os.access(path.parent, os.W_OK | os.X_OK)


def build_without(store: ox.Store, path: Path, graph: ox.NamedNode,
                  load_new: Callable[[ox.Store], None], update_meta: Callable[[ox.Store], None]) -> Path:
    """Build a copy of ``store`` (folder ``path``) holding every graph but ``graph`` and, instead, what
    ``load_new`` loads; ``update_meta`` then writes the new load record. Returns the complete
    ``.rebuilt-`` folder; on any error the partial folder is removed and the store is untouched.

    Each other graph is dumped by Oxigraph's own writer into one temporary N-Quads file (memory holds no graph),
    which is bulk-loaded in one call: the loader gives blank nodes new labels consistently within a call, so a
    blank node two graphs share stays one node.
    """
    ident = uuid.uuid4().hex[:12]
    building, built = sibling(path, REBUILD, ident), sibling(path, REBUILT, ident)
    try:
        _build(store, path, building, graph, load_new, update_meta)
        building.rename(built)
    except BaseException as exc:
        # the finished frames below still hold the half-built store open (their locals): clear them so it
        # closes, then remove its folder
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
        shutil.rmtree(building, ignore_errors=True)
        raise
    return built


def _build(store: ox.Store, path: Path, building: Path, graph: ox.NamedNode,
           load_new: Callable[[ox.Store], None], update_meta: Callable[[ox.Store], None]) -> None:
    copy = ox.Store(str(building))
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.copy-") as tmp:
        dumped, combined = Path(tmp) / "graph.nt", Path(tmp) / "others.nq"
        with combined.open("wb") as out:
            for name in _graphs(store, graph):
                if not isinstance(name, ox.DefaultGraph):
                    copy.add_graph(name)  # an empty named graph stays one
                store.dump(str(dumped), format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                _append_as_quads(dumped, name, out)
        # one load for every other graph: the loader relabels blank nodes consistently within a load, so a
        # blank node two graphs share stays one node
        copy.bulk_load(path=str(combined), format=ox.RdfFormat.N_QUADS)
    load_new(copy)
    update_meta(copy)
    copy.flush()


def _append_as_quads(ntriples: Path, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, out: BinaryIO) -> None:
    """Append the store's own N-Triples dump of graph ``name`` to ``out`` as N-Quads: every line of the dump
    ends with `` .`` (a line break inside a literal is escaped), so the graph name goes before it."""
    suffix = b" .\n" if isinstance(name, ox.DefaultGraph) else f" {name} .\n".encode("utf-8")
    rest = b""
    with ntriples.open("rb") as fh:
        while block := fh.read(16 << 20):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            block, rest = block[:cut], block[cut:]
            out.write(block.replace(b" .\n", suffix))
    if rest.strip():
        raise ValueError(f"the store's dump of {name} does not end with a line break")


def _graphs(store: ox.Store, graph: ox.NamedNode) -> Iterator[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    yield ox.DefaultGraph()
    for name in store.named_graphs():
        if name != graph:
            yield name


def swap_in(path: Path, built: Path) -> None:
    """Give the rebuilt folder the store's name (the store must be closed), then remove the old folder."""
    old = sibling(path, OLD, built.name.rsplit("-", 1)[-1])
    path.rename(old)
    try:
        built.rename(path)
    except FileNotFoundError:  # a process opening the store between the two renames finished the swap
        if not path.exists():
            raise
    shutil.rmtree(old, ignore_errors=True)


def finish_swap(path: Path) -> list[str]:
    """Before opening: a store folder missing while a complete rebuilt folder waits means a process was
    stopped between the two renames of :func:`swap_in`; the rebuilt folder takes the store's name."""
    if path.exists():
        return []
    for built in sorted(siblings(path, REBUILT), key=_age):  # the newest first, should there be several
        try:
            built.rename(path)
        except FileNotFoundError:
            continue
        return [f"finished a replace that was stopped while swapping in the rebuilt store ({built.name})"]
    return []


SWAP_GRACE_SECONDS = 60.0


def _age(folder: Path) -> float:
    try:
        return time.time() - folder.stat().st_mtime
    except OSError:
        return float("inf")


def remove_leftovers(path: Path) -> list[str]:
    """After opening (the store folder locked, so no other process is building): remove unfinished and
    unused rebuilds and old folders, saying what was removed. A complete rebuilt folder is left alone for a
    minute: the process that built it may be between closing the store and swapping the folders."""
    notices = []
    for kind, why in ((REBUILD, "an unfinished rebuild"), (REBUILT, "a rebuild whose replace was stopped before "
                                                           "the swap (the store is as it was before it)"),
                      (OLD, "the folder a finished replace left")):
        for folder in siblings(path, kind):
            if kind == REBUILT and _age(folder) < SWAP_GRACE_SECONDS:
                continue
            shutil.rmtree(folder, ignore_errors=True)
            notices.append(f"removed {folder.name}: {why}")
    for copy in path.parent.glob(f".{path.name}.copy-*"):
        shutil.rmtree(copy, ignore_errors=True)
    return notices
