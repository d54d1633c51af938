"""Issue 13, item 4 (RDF/XML): a "billion laughs" file is refused before parsing, with the file and line, and
memory stays bounded — the load runs in a subprocess under a 1 GB address-space limit."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mcgraph.errors import SourceFormatError
from mcgraph.rdf_io import refuse_xml_entities

RDF_OPEN = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
            '<rdf:Description rdf:about="http://example.org/a"><ex:p>{body}</ex:p></rdf:Description></rdf:RDF>\n')


def billion_laughs(path: Path, levels: int = 9) -> Path:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">' for i in range(1, levels + 1)]
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
                    + RDF_OPEN.format(body=f"&lol{levels};"), encoding="utf-8")
    return path


LIMITED = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    from mcgraph.cli import main
    main(sys.argv[1:])
""")


@pytest.mark.parametrize("suffix", [".rdf", ".owl"])
def test_billion_laughs_is_refused_under_a_memory_cap(tmp_path: Path, suffix: str) -> None:
    bomb = billion_laughs(tmp_path / f"laughs{suffix}")
    assert bomb.stat().st_size < 2_000
    run = subprocess.run([sys.executable, "-c", LIMITED, "--store", str(tmp_path / "store"), "load", str(bomb)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr
    assert f"laughs{suffix}, line 4" in run.stderr and "entity" in run.stderr
    stats = subprocess.run([sys.executable, "-m", "mcgraph", "--store", str(tmp_path / "store"), "stats",
                            "--format", "json"], capture_output=True, text=True, timeout=120)
    assert stats.returncode == 0 and stats.stdout.strip() == "[]"


@pytest.mark.parametrize("declaration,line", [
    ('<!ENTITY ext SYSTEM "file:///etc/passwd">', 3),                 # external entity
    ('<!ENTITY % param "x">', 3),                                      # parameter entity
    ('<!ENTITY big "' + "x" * 101 + '">', 3),                          # a value long enough to amplify
    ('<!ENTITY ok "http://example.org/">\n<!ENTITY nest "&ok;&ok;">', 4),
])
def test_expanding_entities_are_refused_with_the_line(tmp_path: Path, declaration: str, line: int) -> None:
    path = tmp_path / "x.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{declaration}\n]>\n' + RDF_OPEN.format(body="x"),
                    encoding="utf-8")
    with pytest.raises(SourceFormatError) as err:
        refuse_xml_entities(path)
    assert err.value.line == line


def test_plain_namespace_abbreviations_still_load(tmp_path: Path) -> None:
    """What ontology editors write: short entity values with no references."""
    from mcgraph.loading import load_source
    from mcgraph.store import EmbeddedStore

    path = tmp_path / "onto.owl"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
                    ' <!ENTITY ex "http://example.org/">\n]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
                    '<rdf:Description rdf:about="&ex;a"><ex:p rdf:resource="&owl;Class"/></rdf:Description></rdf:RDF>\n',
                    encoding="utf-8")
    store = EmbeddedStore()
    report = load_source(store, "rdf", path, graph="https://w3id.org/mcgraph/graph/t/onto")
    assert report.triples == 1
    [row] = store.query("SELECT ?o WHERE { <http://example.org/a> ?p ?o }").values("o")
    assert row == "http://www.w3.org/2002/07/owl#Class"


def test_the_memory_cap_is_real() -> None:
    """The cap the bomb test relies on stops a process that allocates past it."""
    grow = LIMITED.replace("from mcgraph.cli import main\nmain(sys.argv[1:])", "x = bytearray(2 << 30)")
    run = subprocess.run([sys.executable, "-c", grow], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "MemoryError" in run.stderr
    assert resource.RLIMIT_AS  # the limit exists on this platform
