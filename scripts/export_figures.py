"""Run every notebook in notebooks/ top to bottom and export each one's key figure as PNG.

    python scripts/export_figures.py [FOLDER] [--only 02] [--data demo|real]

FOLDER defaults to a new folder under the system's temporary directory. The notebooks save their key figure
through :func:`mcgraph.plot.export`, which writes into ``$MCGRAPH_FIGURES`` (set here). Exit code 0 when every
notebook ran, 1 when one failed (its error is printed), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run_notebook(path: Path, env: dict[str, str], timeout: int = 900):  # type: ignore[no-untyped-def]
    """Execute ``path`` in a fresh kernel (working directory: notebooks/) with ``env`` added to the environment;
    returns the executed notebook (nbformat) and raises nbclient's CellExecutionError when a cell fails. The
    notebook file is not modified."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        return NotebookClient(nb, timeout=timeout, kernel_name="python3",
                              resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="where the PNGs go (default: a new temporary folder)")
    parser.add_argument("--only", help="only notebooks whose file name starts with this")
    parser.add_argument("--data", choices=["demo", "real"], default="demo", help="the notebooks' DATA setting")
    args = parser.parse_args(argv)
    folder = (args.folder or Path(tempfile.mkdtemp(prefix="mcgraph-figures-"))).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    notebooks = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if not args.only or p.name.startswith(args.only))
    if not notebooks:
        print(f"no notebook matches {args.only!r} in {NOTEBOOKS}", file=sys.stderr)
        return 2
    failed = 0
    for path in notebooks:
        try:
            run_notebook(path, {"MCGRAPH_FIGURES": str(folder), "MCGRAPH_NOTEBOOK_DATA": args.data})
            print(f"ok      {path.name}")
        except Exception as exc:  # noqa: BLE001 - report every notebook, then fail
            failed += 1
            print(f"FAILED  {path.name}: {exc}", file=sys.stderr)
    for png in sorted(folder.glob("*.png")):
        print(png)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
