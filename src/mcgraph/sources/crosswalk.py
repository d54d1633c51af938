"""Occupation crosswalks as SKOS mappings with SSSOM-style provenance (justification, confidence, source).

``mcgraph load crosswalk FILE`` tells the kind of crosswalk from the CSV header and loads it into
``graph:crosswalk/<kind>``:

=================  ==============================================  ==========================================
kind               file (publisher)                                subject → object
=================  ==============================================  ==========================================
esco-onet          ``esco_onet_crosswalk_Nov2020.csv`` (Nesta)     ESCO occupation → O*NET-SOC occupation
noc2021-onet       ``noc2021_onet26.csv`` (Brookfield Institute)   NOC 2021 unit group → O*NET-SOC occupation
noc2016-noc2021    ``noc_2021_2016.csv`` (Brookfield Institute)    NOC 2016 unit group → NOC 2021 unit group
=================  ==============================================  ==========================================

Each distinct (subject, object) pair becomes one plain SKOS mapping triple and one ``sssom:Mapping`` node
(IRI ``mcgid:crosswalk/<kind>/<subject code>--<object code>``, the same on every load) with
``sssom:subject_id``, ``sssom:predicate_id``, ``sssom:object_id``, labels, ``sssom:mapping_justification``,
``sssom:confidence`` and ``sssom:similarity_score`` where the file gives them, ``sssom:mapping_tool`` and
``sssom:comment`` saying where the predicate came from, ``dct:source`` the published file and
``dct:isPartOf`` the ``sssom:MappingSet`` (publisher, licence). IRIs are those the other loaders mint:
ESCO's published occupation IRIs, ``mcgid:onet/occupation/<O*NET-SOC code>``, ``mcgid:noc/2021/<5 digits>``
and ``mcgid:noc/2016/<4 digits>`` — codes the Brookfield files write without leading zeros are padded.
NOC 2016 unit groups, which no other loader makes, get a concept with their code and title.

How the SKOS predicate is chosen (the files give no SKOS relation; each rule uses what the file does say):

* **esco-onet** — Nesta assigned the best-matching O*NET occupation to each ESCO occupation, with a
  confidence of 0.5, 1 or 2 (highest). ``skos:closeMatch`` when the confidence is at least 1 and no other ESCO
  occupation shares the O*NET occupation; otherwise ``skos:broadMatch``: the O*NET occupation covers several
  ESCO occupations, or (confidence 0.5) is only the nearest, more general one. ``sssom:confidence`` is Nesta's
  value / 2 (SSSOM confidences are 0–1), ``sssom:similarity_score`` Nesta's ``semantic_similarity`` unchanged;
  justification ``semapv:CompositeMatching`` (an ISCO–SOC crosswalk, text similarity and manual assignment).
* **noc2021-onet** — curated (NOC → ISCO → O*NET, then adjusted by hand: ``semapv:ManualMappingCuration``),
  one NOC to one or more O*NET occupations. From the crosswalk's own cardinality: the NOC maps only to this
  O*NET occupation and it only to this NOC → ``skos:closeMatch``; the NOC maps to several O*NET occupations
  that map only to it → ``skos:narrowMatch`` (the O*NET occupation is a part of the unit group); the O*NET
  occupation is shared by several NOCs and this NOC maps only to it → ``skos:broadMatch``; both shared →
  ``skos:closeMatch``.
* **noc2016-noc2021** — a concordance with change types (``VC`` virtual, ``RC`` real change) and notes
  (``"0112 continues as 10011 and part transferred to 11200 …"``): 1:1 → ``skos:exactMatch``; the 2016 unit
  went whole into a 2021 unit that also took in others → ``skos:broadMatch``; the 2016 unit was split and
  this 2021 unit came only from it → ``skos:narrowMatch``; both sides shared → ``skos:closeMatch`` when the
  notes say the 2016 unit "continues as" this 2021 unit, else ``skos:relatedMatch`` (a transferred part).
  The change type and notes are kept in ``sssom:comment``.

ISCO is reached through ESCO: ESCO occupations carry their ISCO unit group (``esco:memberOfISCOGroup`` /
``skos:broader``, from the ESCO load), so ``queries/crosswalk-isco-onet.rq`` derives ISCO → O*NET from this
graph and ESCO's instead of repeating triples.
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, ESCO_OCCUPATION, MCG, MCGID, NOC, ONET, RDF, SEMAPV, SKOS, SSSOM, XSD
from .base import LoadReport, Source
from .tabular import check_decodes, open_text, read_problem, read_rows, require_file

N = ox.NamedNode
T = ox.Triple
A = N(str(RDF.type))
MIT = N("https://opensource.org/licenses/MIT")
_ONET_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_ESCO_OCC = re.compile(r"^http://data\.europa\.eu/esco/occupation/([0-9A-Za-z-]+)$")
_CONTINUES = re.compile(r"^\s*0*(\d{1,4}) continues(?: as)? 0*(\d{1,5})\b")


def onet_iri(code: str) -> ox.NamedNode:
    """``15-1252.00`` → ``mcgid:onet/occupation/15-1252.00`` (as the O*NET loader mints them)."""
    return N(str(ONET[f"occupation/{code}"]))


def noc_iri(code: str, version: str) -> ox.NamedNode:
    """A NOC code of a version → ``mcgid:noc/<version>/<code>`` (as the OaSIS loader mints them)."""
    return N(str(NOC[f"{version}/{code}"]))


def pad_noc(code: str, digits: int) -> str:
    """``"10"`` → ``"00010"``: the Brookfield files drop NOC codes' leading zeros."""
    return code.strip().zfill(digits)


@dataclass(frozen=True)
class Kind:
    """One crosswalk layout: its columns, publisher and where it was published."""

    name: str
    columns: tuple[str, ...]
    title: str
    publisher: str
    source: str
    justification: str
    subject_source: str
    object_source: str
    tool: str


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("esco-onet", ("concept_uri", "esco_occupation", "onet_code", "onet_occupation", "semantic_similarity",
                       "confidence"),
         "ESCO occupations to O*NET-SOC occupations (Mapping Career Causeways crosswalk, November 2020)",
         "Nesta",
         "https://github.com/nestauk/mapping-career-causeways/blob/cb8c57a2c4a0ab40a2bba4eca6664601bcc24cad/"
         "supplementary_online_data/ONET_ESCO_crosswalk/esco_onet_crosswalk_Nov2020.csv",
         str(SEMAPV.CompositeMatching), "http://data.europa.eu/esco/concept-scheme/occupations",
         str(ONET["occupations"]),
         "Nesta Mapping Career Causeways ESCO–O*NET crosswalk (ISCO–SOC candidates, Sentence-BERT similarity "
         "of job titles and descriptions, manual assignment and confidence); Kanders, Djumalieva, Sleeman and "
         "Orlik (2020), Mapping Career Causeways: Supporting Workers at Risk, London: Nesta"),
    Kind("noc2021-onet", ("noc", "noc_title", "onet", "onet_title"),
         "NOC 2021 unit groups to O*NET-SOC occupations (O*NET 26)",
         "Brookfield Institute for Innovation + Entrepreneurship (The Dais, Toronto Metropolitan University)",
         "https://github.com/thedaisTMU/NOC_ONet_Crosswalk/blob/e7b96dd408f4ca189379236303daeef251343c8d/"
         "noc2021_onet26.csv",
         str(SEMAPV.ManualMappingCuration), str(NOC["2021"]), str(ONET["occupations"]),
         "Brookfield Institute NOC–O*NET crosswalk (NOC → ISCO → O*NET base matching, adjusted by hand)"),
    Kind("noc2016-noc2021", ("NOC2016", "NOC2016_Title", "Change_type", "NOC2021", "NOC2021_Title", "Notes"),
         "NOC 2016 unit groups to NOC 2021 unit groups (concordance with change types)",
         "Brookfield Institute for Innovation + Entrepreneurship (The Dais, Toronto Metropolitan University)",
         "https://github.com/thedaisTMU/NOC_ONet_Crosswalk/blob/e7b96dd408f4ca189379236303daeef251343c8d/"
         "noc_noc/noc_2021_2016.csv",
         str(SEMAPV.ManualMappingCuration), str(NOC["2016"]), str(NOC["2021"]),
         "Brookfield Institute NOC 2016–NOC 2021 concordance"),
)}


def detect_kind(path: Path, header: list[str]) -> Kind:
    """The crosswalk layout whose columns the header has; raises naming the known layouts."""
    found = [k for k in KINDS.values() if set(k.columns) <= set(header)]
    if not found:
        layouts = "; ".join(f"{k.name}: {', '.join(k.columns)}" for k in KINDS.values())
        shown = ", ".join(repr(h) for h in header[:12])
        raise SourceFormatError(path, f"not a known crosswalk layout; the header has {shown}. Known layouts "
                                f"(columns needed): {layouts}", row=1)
    return found[0]


@dataclass
class Link:
    """One distinct (subject, object) pair of a crosswalk, with what the rows say about it."""

    row: int
    subject: ox.NamedNode
    object: ox.NamedNode
    subject_code: str
    object_code: str
    subject_label: str = ""
    object_labels: list[str] = field(default_factory=list)
    confidence: float | None = None
    raw_confidence: str = ""
    similarity: str | None = None
    change: str = ""
    notes: str = ""
    predicate: str = ""
    why: str = ""


def _header(path: Path) -> list[str]:
    try:
        with open_text(path, "utf-8-sig") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError as exc:
        check_decodes(path, "utf-8-sig")  # raises naming the row and offset of the bad byte
        raise SourceFormatError(path, f"not valid UTF-8 text ({exc.reason})", row=1) from None
    except csv.Error as exc:
        raise SourceFormatError(path, f"cannot read the header: {exc}", row=1) from None
    except (OSError, EOFError) as exc:
        raise SourceFormatError(path, read_problem(path, exc), row=1) from None
    if not header:
        raise SourceFormatError(path, "the file is empty (no header row)", row=1)
    return [h.strip() for h in header]


class CrosswalkSource(Source):
    """ESCO–O*NET, NOC 2021–O*NET and NOC 2016–2021 crosswalks."""

    name = "crosswalk"
    title = "Occupation crosswalk CSV (ESCO–O*NET, NOC 2021–O*NET, NOC 2016–NOC 2021) as SKOS + SSSOM mappings"
    accepts = "file"
    options = {"kind": "esco-onet, noc2021-onet or noc2016-noc2021 (default: told from the header)"}

    def __init__(self, kind: str | None = None) -> None:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown crosswalk kind {kind!r}; known: {', '.join(KINDS)}")
        self.kind = kind

    def detect_version(self, path: Path) -> str | None:
        """The crosswalk's kind (``esco-onet`` …), so each kind loads into its own graph."""
        if self.kind is not None:
            return self.kind
        try:
            return detect_kind(path, _header(path)).name
        except SourceFormatError:
            return None

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        require_file(path)
        kind = detect_kind(path, _header(path))
        if self.kind is not None and kind.name != self.kind:
            raise SourceFormatError(path, f"expected a {self.kind} crosswalk, but the header is that of {kind.name}",
                                    row=1)
        report.add_file(path)
        links: dict[tuple[str, str], Link] = {}
        reader = READERS[kind.name]
        for row, cells in read_rows(path, required=kind.columns):
            report.count("rows")
            link = reader(path, row, cells)
            key = (link.subject.value, link.object.value)
            if key in links:
                first = links[key]
                report.count("duplicate rows (same pair)")
                for label in link.object_labels:
                    if label not in first.object_labels:
                        first.object_labels.append(label)
                if (link.raw_confidence, link.similarity) != (first.raw_confidence, first.similarity):
                    report.warn(path, f"pair {link.subject_code} → {link.object_code} again with other values; "
                                f"the first (row {first.row}) is kept", row=row)
                continue
            links[key] = link
        if not links:
            raise SourceFormatError(path, "no rows: the file has a header but no mappings", row=2)
        PREDICATES[kind.name](list(links.values()))
        yield from _mapping_set(kind)
        if kind.name == "noc2016-noc2021":
            yield from _noc2016_scheme()
        made_2016: set[str] = set()
        for link in links.values():
            yield from _mapping(kind, link)
            report.count(f"mappings: skos:{link.predicate}")
            report.count("mappings")
            if kind.name == "noc2016-noc2021" and link.subject_code not in made_2016:
                made_2016.add(link.subject_code)
                yield from _noc2016_concept(link)
        if made_2016:
            report.count("NOC 2016 unit groups", len(made_2016))


# -- rows ----------------------------------------------------------------------------------------

def _onet(path: Path, row: int, code: str, column: str) -> str:
    code = code.strip()
    if not _ONET_CODE.match(code):
        raise SourceFormatError(path, f"{code!r} is not an O*NET-SOC code such as 15-1252.00", row=row, field=column)
    return code


def _noc(path: Path, row: int, code: str, column: str, digits: int) -> str:
    code = code.strip()
    if not code.isdigit() or not code.isascii() or len(code) > digits:
        raise SourceFormatError(path, f"{code!r} is not a NOC code of at most {digits} digits", row=row, field=column)
    return pad_noc(code, digits)


def _number(path: Path, row: int, text: str, column: str, low: float, high: float) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise SourceFormatError(path, f"{text!r} is not a number from {low:g} to {high:g}", row=row, field=column)
    return value


def _esco_onet(path: Path, row: int, cells: dict[str, str]) -> Link:
    uri = cells["concept_uri"].strip()
    match = _ESCO_OCC.match(uri)
    if not match:
        raise SourceFormatError(path, f"{uri!r} is not an ESCO occupation IRI ({ESCO_OCCUPATION}…)", row=row,
                                field="concept_uri")
    code = _onet(path, row, cells["onet_code"], "onet_code")
    confidence = _number(path, row, cells["confidence"], "confidence", 0, 2)
    similarity = _number(path, row, cells["semantic_similarity"], "semantic_similarity", 0, 1)
    return Link(row, N(uri), onet_iri(code), match.group(1), code, cells["esco_occupation"].strip(),
                [cells["onet_occupation"].strip()], confidence, cells["confidence"].strip(),
                cells["semantic_similarity"].strip() if similarity is not None else None)


def _noc_onet(path: Path, row: int, cells: dict[str, str]) -> Link:
    noc = _noc(path, row, cells["noc"], "noc", 5)
    code = _onet(path, row, cells["onet"], "onet")
    return Link(row, noc_iri(noc, "2021"), onet_iri(code), noc, code, cells["noc_title"].strip(),
                [cells["onet_title"].strip()])


def _noc_noc(path: Path, row: int, cells: dict[str, str]) -> Link:
    old = _noc(path, row, cells["NOC2016"], "NOC2016", 4)
    new = _noc(path, row, cells["NOC2021"], "NOC2021", 5)
    return Link(row, noc_iri(old, "2016"), noc_iri(new, "2021"), old, new, cells["NOC2016_Title"].strip(),
                [cells["NOC2021_Title"].strip()], change=cells["Change_type"].strip(), notes=cells["Notes"].strip())


READERS: dict[str, Callable[[Path, int, dict[str, str]], Link]] = {
    "esco-onet": _esco_onet, "noc2021-onet": _noc_onet, "noc2016-noc2021": _noc_noc}


# -- predicates ----------------------------------------------------------------------------------

def _fan(links: list[Link]) -> tuple[Counter[str], Counter[str]]:
    """How many objects each subject maps to, and how many subjects each object is mapped from."""
    return Counter(link.subject.value for link in links), Counter(link.object.value for link in links)


def _esco_onet_predicates(links: list[Link]) -> None:
    _, sharing = _fan(links)
    for link in links:
        shared = sharing[link.object.value]
        if link.confidence is not None and link.confidence >= 1 and shared == 1:
            link.predicate = "closeMatch"
            link.why = "Nesta confidence ≥ 1 and the only ESCO occupation matched to this O*NET occupation"
        elif shared > 1:
            link.predicate = "broadMatch"
            link.why = f"the O*NET occupation is matched to {shared} ESCO occupations in this crosswalk"
        else:
            link.predicate = "broadMatch"
            link.why = "Nesta confidence below 1: the O*NET occupation is the nearest, more general match"
        if link.raw_confidence:
            link.why += f"; Nesta confidence {link.raw_confidence} (of 0.5, 1, 2)"


def _by_cardinality(links: list[Link], subject: str, obj: str) -> None:
    fan_out, fan_in = _fan(links)
    for link in links:
        n_out, n_in = fan_out[link.subject.value], fan_in[link.object.value]
        if n_out == 1 and n_in == 1:
            link.predicate = "closeMatch"
            link.why = f"one-to-one: the {subject} maps only to this {obj} and back"
        elif n_in == 1:
            link.predicate = "narrowMatch"
            link.why = f"the {subject} maps to {n_out} {obj}s, this one only to it"
        elif n_out == 1:
            link.predicate = "broadMatch"
            link.why = f"the {obj} is mapped from {n_in} {subject}s, this one only to it"
        else:
            link.predicate = "closeMatch"
            link.why = f"many-to-many: the {subject} maps to {n_out} {obj}s, the {obj} from {n_in} {subject}s"


def _noc_onet_predicates(links: list[Link]) -> None:
    _by_cardinality(links, "NOC unit group", "O*NET occupation")


def _continues_as(link: Link) -> bool:
    """True when the notes say the NOC 2016 unit "continues (as)" this NOC 2021 unit."""
    match = _CONTINUES.match(link.notes)
    return bool(match) and pad_noc(match.group(1), 4) == link.subject_code \
        and pad_noc(match.group(2), 5) == link.object_code  # type: ignore[union-attr]


def _noc_noc_predicates(links: list[Link]) -> None:
    fan_out, fan_in = _fan(links)
    for link in links:
        n_out, n_in = fan_out[link.subject.value], fan_in[link.object.value]
        if n_out == 1 and n_in == 1:
            link.predicate = "exactMatch"
            link.why = "one-to-one: same content under a new code or name"
        elif n_out == 1:
            link.predicate = "broadMatch"
            link.why = f"the NOC 2016 unit went whole into this NOC 2021 unit, which has {n_in} NOC 2016 sources"
        elif n_in == 1:
            link.predicate = "narrowMatch"
            link.why = f"the NOC 2016 unit was divided among {n_out} NOC 2021 units; this one comes only from it"
        elif _continues_as(link):
            link.predicate = "closeMatch"
            link.why = "the NOC 2016 unit continues as this NOC 2021 unit, which also exchanged parts with others"
        else:
            link.predicate = "relatedMatch"
            link.why = "a part of the NOC 2016 unit went into this NOC 2021 unit, which also has other sources"
        link.why += f"; change type: {link.change or 'none given'}" + (f"; notes: {link.notes}" if link.notes else "")


PREDICATES: dict[str, Callable[[list[Link]], None]] = {
    "esco-onet": _esco_onet_predicates, "noc2021-onet": _noc_onet_predicates,
    "noc2016-noc2021": _noc_noc_predicates}


# -- triples -------------------------------------------------------------------------------------

def mapping_set_iri(kind: str) -> ox.NamedNode:
    return N(str(MCGID[f"crosswalk/{kind}"]))


def mapping_iri(kind: str, subject_code: str, object_code: str) -> ox.NamedNode:
    """Deterministic: ``mcgid:crosswalk/<kind>/<subject code>--<object code>``."""
    return N(str(MCGID[f"crosswalk/{kind}/{subject_code}--{object_code}"]))


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _mapping_set(kind: Kind) -> Iterator[ox.Triple]:
    s = mapping_set_iri(kind.name)
    yield from (
        T(s, A, N(str(SSSOM.MappingSet))),
        T(s, N(str(DCTERMS.title)), _en(kind.title)),
        T(s, N(str(SSSOM.mapping_set_title)), ox.Literal(kind.title)),
        T(s, N(str(DCTERMS.publisher)), ox.Literal(kind.publisher)),
        T(s, N(str(DCTERMS.license)), MIT),
        T(s, N(str(SSSOM.license)), MIT),
        T(s, N(str(DCTERMS.source)), N(kind.source)),
        T(s, N(str(SSSOM.mapping_tool)), ox.Literal(kind.tool)),
        T(s, N(str(SSSOM.subject_source)), N(kind.subject_source)),
        T(s, N(str(SSSOM.object_source)), N(kind.object_source)),
    )


def _mapping(kind: Kind, link: Link) -> Iterator[ox.Triple]:
    predicate = N(str(SKOS[link.predicate]))
    m = mapping_iri(kind.name, link.subject_code, link.object_code)
    yield T(link.subject, predicate, link.object)
    yield from (
        T(m, A, N(str(SSSOM.Mapping))),
        T(m, N(str(SSSOM.subject_id)), link.subject),
        T(m, N(str(SSSOM.predicate_id)), predicate),
        T(m, N(str(SSSOM.object_id)), link.object),
        T(m, N(str(SSSOM.mapping_justification)), N(kind.justification)),
        T(m, N(str(SSSOM.mapping_tool)), ox.Literal(kind.tool)),
        T(m, N(str(SSSOM.comment)), ox.Literal(f"skos:{link.predicate} because {link.why}")),
        T(m, N(str(DCTERMS.source)), N(kind.source)),
        T(m, N(str(DCTERMS.isPartOf)), mapping_set_iri(kind.name)),
    )
    if link.subject_label:
        yield T(m, N(str(SSSOM.subject_label)), ox.Literal(link.subject_label))
    labels = [label for label in link.object_labels if label]
    if labels:
        yield T(m, N(str(SSSOM.object_label)), ox.Literal(" / ".join(labels)))
    if link.confidence is not None:
        value = link.confidence / 2 if kind.name == "esco-onet" else link.confidence
        yield T(m, N(str(SSSOM.confidence)), ox.Literal(repr(value), datatype=N(str(XSD.double))))
    if link.similarity is not None:
        yield T(m, N(str(SSSOM.similarity_score)), ox.Literal(link.similarity, datatype=N(str(XSD.double))))
        yield T(m, N(str(SSSOM.similarity_measure)),
                ox.Literal("semantic similarity of Sentence-BERT embeddings of job titles and descriptions"))


NOC2016_SCHEME = N(str(NOC["2016"]))


def _noc2016_scheme() -> Iterator[ox.Triple]:
    yield T(NOC2016_SCHEME, A, N(str(SKOS.ConceptScheme)))
    yield T(NOC2016_SCHEME, N(str(SKOS.prefLabel)),
            _en("NOC 2016 unit groups (as named in the NOC 2016–2021 crosswalk)"))


def _noc2016_concept(link: Link) -> Iterator[ox.Triple]:
    """A NOC 2016 unit group (no other loader makes them): type, code, title, scheme."""
    yield from (
        T(link.subject, A, N(str(MCG.Occupation))),
        T(link.subject, A, N(str(SKOS.Concept))),
        T(link.subject, N(str(SKOS.notation)), ox.Literal(link.subject_code)),
        T(link.subject, N(str(SKOS.inScheme)), NOC2016_SCHEME),
    )
    if link.subject_label:
        yield T(link.subject, N(str(SKOS.prefLabel)), _en(link.subject_label))


SOURCE = CrosswalkSource()
