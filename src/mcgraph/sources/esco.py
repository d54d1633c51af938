"""ESCO: the official CSV export (v1.1.x and v1.2.x layouts) or an ESCO RDF dump, as ESCO-model triples.

``mcgraph load esco FOLDER`` reads every standard file of a CSV export (occupations, skills, ISCO groups,
skill groups, skills hierarchy, broader relations of both pillars, skill–skill and occupation–skill
relations, concept schemes and the collections); ``mcgraph load esco esco.ttl --version 1.1.1`` loads an
ESCO RDF dump (Turtle, N-Triples, …, optionally gzipped) as it is, streamed by Oxigraph's bulk loader so
any size fits (N-Quads / TriG dumps are read here, graph names dropped). Each release lands in its own
graph ``https://w3id.org/mcgraph/graph/esco/<version>``; the version comes from ``--version`` or the
folder / file name (``v1.1.1``, ``ESCO dataset - v1.2.0 - …``, ``esco_v1.1.1.ttl``).

What is written (CSV), with the published concept IRIs:

* occupations: ``esco:Occupation``, ``esco:MemberConcept``, ``skos:Concept`` and ``mcg:Occupation``;
  ``esco:memberOfISCOGroup`` the ISCO unit group (``…/isco/C<code>``), ``skos:notation`` the ESCO code,
  ``esco:regulatedProfessionNote``;
* skills: ``esco:Skill``, ``esco:MemberConcept``, ``skos:Concept``, ``mcg:Skill``; ``esco:skillType``
  (``…/skill-type/skill`` for ``skill/competence``, ``…/skill-type/knowledge``), ``esco:skillReuseLevel``
  (``…/skill-reuse-level/<value>``);
* ISCO groups and skill groups: ``skos:Concept``, ``esco:GroupConcept`` (the ESCO model's class for group
  concepts, including those of ISCO), ``skos:notation`` their code;
* every concept: ``skos:prefLabel`` / ``altLabel`` / ``hiddenLabel`` (language of the files, ``en``),
  ``skos:definition``, ``skos:scopeNote``, ``dct:description``, ``dct:modified``, ``skos:inScheme``, the
  ISO 25964 ``iso-thes:status``; hierarchy as ``skos:broader`` (broader-relation files, then the skills
  hierarchy for pairs those lack);
* occupation → skill: ``esco:relatedEssentialSkill`` / ``esco:relatedOptionalSkill`` and, unless turned
  off, one ``mcg:SkillRequirement`` per link (``mcg:hasSkillRequirement``, ``mcg:requiredSkill``,
  ``mcg:requirementKind mcg:Essential|mcg:Optional``) with a deterministic IRI (hash of release,
  occupation and skill), so reloads are identical;
* skill → skill: ``esco:relatedEssentialSkill`` / ``esco:relatedOptionalSkill`` (the ESCO model gives
  these the subject "occupation or skill"), original skill as subject;
* collections (digital, green, language, transversal, research, DigComp, research occupations): the ESCO
  way, ``skos:inScheme`` the collection's concept scheme.

Rows an occupation–skill relation makes to an occupation absent from ``occupations_<lang>.csv`` (67 in
v1.1.1) are loaded and reported as warnings; blank skill types and reuse levels are warned about.
Standard files absent from the folder (v1.2.0 as shared lacks two) and unknown CSV files are reported as
warnings. A dump has the ESCO model only: :func:`rdf_dump_extras` derives what the CSV path adds (mcg types,
requirement nodes), for a post-load hook the store does not have yet.

>>> SOURCE.name, SOURCE.detect_version(Path("downloads/esco/v1.1.1"))
('esco', '1.1.1')
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import SourceFormatError
from ..namespaces import DCTERMS, ESCO, MCG, MCGID, RDF, SKOS, XSD
from ._options import option_bool
from .base import LoadReport, Source
from .esco_csv import COLLECTIONS, EscoFiles, find_files, read_columns, split_values
from .rdf import parse_rdf, rdf_format, read_rdf_file

N = ox.NamedNode
Triple = ox.Triple

A = N(str(RDF.type))
SKOS_CONCEPT, SKOS_SCHEME = N(str(SKOS.Concept)), N(str(SKOS.ConceptScheme))
PREF, ALT, HIDDEN = N(str(SKOS.prefLabel)), N(str(SKOS.altLabel)), N(str(SKOS.hiddenLabel))
DEFINITION, SCOPE_NOTE, NOTATION = N(str(SKOS.definition)), N(str(SKOS.scopeNote)), N(str(SKOS.notation))
IN_SCHEME, TOP_CONCEPT, BROADER = N(str(SKOS.inScheme)), N(str(SKOS.hasTopConcept)), N(str(SKOS.broader))
DESCRIPTION, MODIFIED, TITLE = N(str(DCTERMS.description)), N(str(DCTERMS.modified)), N(str(DCTERMS.title))
STATUS = N("http://purl.org/iso25964/skos-thes#status")
XSD_DATETIME = N(str(XSD.dateTime))

ESCO_OCCUPATION, ESCO_SKILL = N(str(ESCO.Occupation)), N(str(ESCO.Skill))
ESCO_MEMBER, ESCO_GROUP = N(str(ESCO) + "MemberConcept"), N(str(ESCO) + "GroupConcept")
ESSENTIAL, OPTIONAL = N(str(ESCO.relatedEssentialSkill)), N(str(ESCO.relatedOptionalSkill))
IS_ESSENTIAL_FOR, IS_OPTIONAL_FOR = N(str(ESCO) + "isEssentialSkillFor"), N(str(ESCO) + "isOptionalSkillFor")
SKILL_TYPE, REUSE_LEVEL = N(str(ESCO.skillType)), N(str(ESCO.skillReuseLevel))
ISCO_GROUP_OF = N(str(ESCO) + "memberOfISCOGroup")
REGULATED = N(str(ESCO) + "regulatedProfessionNote")

MCG_OCCUPATION, MCG_SKILL = N(str(MCG.Occupation)), N(str(MCG.Skill))
MCG_REQUIREMENT, HAS_REQUIREMENT = N(str(MCG.SkillRequirement)), N(str(MCG.hasSkillRequirement))
DANGLING, REFERENCED_AT = N(str(MCG.DanglingReference)), N(str(MCG.referencedAt))
REQUIRED_SKILL, REQUIREMENT_KIND = N(str(MCG.requiredSkill)), N(str(MCG.requirementKind))
KIND = {"essential": (ESSENTIAL, N(str(MCG.Essential))), "optional": (OPTIONAL, N(str(MCG.Optional)))}

SKILL_TYPES = {
    "skill/competence": N("http://data.europa.eu/esco/skill-type/skill"),
    "skill": N("http://data.europa.eu/esco/skill-type/skill"),
    "knowledge": N("http://data.europa.eu/esco/skill-type/knowledge"),
}
REUSE_LEVELS = {v: N(f"http://data.europa.eu/esco/skill-reuse-level/{v}")
                for v in ("transversal", "cross-sector", "sector-specific", "occupation-specific")}
ISCO = "http://data.europa.eu/esco/isco/C"
REQUIREMENT_BASE = str(MCGID) + "esco/requirement/"

_VERSION = re.compile(r"(?:^|[^0-9A-Za-z.])(?:v|esco[ _-]?v?)?(\d{1,2}\.\d+\.\d+)(?![0-9])", re.IGNORECASE)
_VERSION_V = re.compile(r"(?:^|[^0-9A-Za-z.])(?:v|esco[ _-]?v?)(\d{1,2}\.\d+)(?![0-9.])", re.IGNORECASE)


class _BadValue(Exception):
    """A cell that cannot become an RDF term (raised inside the row loops, re-raised with file and row)."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


class EscoSource(Source):
    """Load an ESCO release (CSV export folder or RDF dump file).

    ``skill_requirements=False`` leaves out the ``mcg:SkillRequirement`` node of each occupation–skill
    link (four triples each; the direct ``esco:related…Skill`` triple is always written).
    """

    name = "esco"
    title = "ESCO classification (official CSV export folder, or an ESCO RDF dump)"
    accepts = "folder or file"
    options = {"skill_requirements": "false: leave out the mcg:SkillRequirement node of each occupation–skill link"}

    def __init__(self, *, skill_requirements: bool | str = True) -> None:
        self.skill_requirements = option_bool(skill_requirements, "skill_requirements")

    def extra_triples(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        """For an RDF dump: the mcg: types and skill-requirement nodes the CSV path writes (see :func:`rdf_dump_extras`)."""
        return rdf_dump_extras(path, report, skill_requirements=self.skill_requirements)

    def detect_version(self, path: Path) -> str | None:
        """The release from the folder or file name (``v1.1.1``, ``ESCO dataset - v1.2.0 - …``, ``esco_v1.1.1.ttl``)."""
        for part in [path.name, path.parent.name, path.parent.parent.name]:
            for pattern in (_VERSION, _VERSION_V):
                m = pattern.search(part)
                if m:
                    return m.group(1)
        return None

    def native_format(self, path: Path) -> ox.RdfFormat | None:
        """An RDF dump in a triple syntax is bulk-loaded by Oxigraph as it is (streaming: any size)."""
        if path.is_dir() or _is_csv(path):
            return None
        fmt = rdf_format(path)
        return None if fmt.supports_datasets else fmt

    def read(self, path: Path, report: LoadReport) -> Iterator[ox.Triple]:
        if path.is_dir():
            return _CsvLoad(path, report, self.skill_requirements).triples()
        if _is_csv(path):
            raise SourceFormatError(path, "give the folder holding the ESCO CSV files (unzipped), not one file")
        return _dump_triples(path, report)


def _dump_triples(path: Path, report: LoadReport) -> Iterator[ox.Triple]:
    """A dump in a dataset syntax (N-Quads, TriG), or any dump for a store without a native bulk load: its
    triples as they are, graph names dropped (the load is one graph)."""
    for item in read_rdf_file(path, report):
        yield item if isinstance(item, ox.Triple) else ox.Triple(item.subject, item.predicate, item.object)


def _is_csv(path: Path) -> bool:
    return path.name.lower().endswith((".csv", ".csv.gz", ".zip"))


def requirement_iri(version: str | None, occupation: str, skill: str) -> str:
    """The deterministic IRI of the skill requirement node of one occupation–skill link in one release."""
    digest = hashlib.blake2b(f"{version or ''}|{occupation}|{skill}".encode(), digest_size=12).hexdigest()
    return REQUIREMENT_BASE + digest


class _CsvLoad:
    """One load of a CSV export folder: the term cache, what was seen, and one generator per file."""

    def __init__(self, folder: Path, report: LoadReport, skill_requirements: bool) -> None:
        self.folder, self.report, self.skill_requirements = folder, report, skill_requirements
        try:
            self.files: EscoFiles = find_files(folder)
        except OSError as exc:
            raise SourceFormatError(folder, f"cannot list the folder: {exc}") from exc
        self.lang = self.files.language
        self._nodes: dict[str, ox.NamedNode] = {}
        self._dangling_nodes: set[ox.NamedNode] = set()
        self._plain: dict[str, ox.Literal] = {}
        self.occupations: set[str] = set()
        self.skills: set[str] = set()
        self.groups: set[str] = set()
        self.schemes: set[str] = set()
        self.broader: set[tuple[str, str]] = set()
        self.notations: set[tuple[str, str]] = set()
        collection_schemes = {iri for _, iri in COLLECTIONS.values()}
        self.collection_schemes = collection_schemes
        self.in_collection: set[tuple[str, str]] = set()

    # -- terms -------------------------------------------------------------------------------------
    def node(self, value: str, column: str) -> ox.NamedNode:
        n = self._nodes.get(value)
        if n is None:
            if not value:
                raise _BadValue(column, value, f"the {column!r} cell is empty")
            try:
                n = N(value)
            except ValueError as exc:
                raise _BadValue(column, value, f"not a valid IRI in {column!r}: {value[:80]!r} ({exc})") from None
            self._nodes[value] = n
        return n

    def literal(self, value: str) -> ox.Literal:
        return ox.Literal(value, language=self.lang)

    def plain(self, value: str) -> ox.Literal:
        """A plain literal from a small set of values (status), made once."""
        lit = self._plain.get(value)
        if lit is None:
            lit = self._plain[value] = ox.Literal(value)
        return lit

    # -- driver ------------------------------------------------------------------------------------
    def triples(self) -> Iterator[ox.Triple]:
        files, report = self.files, self.report
        if not files.paths and not files.collections:
            raise SourceFormatError(self.folder, "no ESCO CSV files here (looked for occupations_en.csv, "
                                    "skills_en.csv, ISCOGroups_en.csv, … as in the official export)")
        for name in files.missing:
            report.warn(self.folder / name.split(" or ")[0],
                        f"standard ESCO file absent (looked for {name}); its contents are not loaded")
        for p in files.unknown:
            report.warn(p, "not a standard ESCO CSV file; skipped")
        steps = [
            ("concept_schemes", self._schemes),
            ("isco_groups", self._isco_groups),
            ("occupations", self._occupations),
            ("skill_groups", self._skill_groups),
            ("skills", self._skills),
            ("broader_occupations", self._broader),
            ("broader_skills", self._broader),
            ("skills_hierarchy", self._hierarchy),
            ("skill_skill", self._skill_skill),
            ("occupation_skill", self._occupation_skill),
        ]
        jobs = [(path, step(path, key)) for key, step in steps if (path := files.paths.get(key)) is not None]
        jobs += [(path, self._collection(path, stem)) for stem, path in files.collections.items()]
        # A million term objects are made and kept, none in a reference cycle: the cyclic garbage collector
        # would rescan them again and again (about a tenth of a full load), so it pauses while this generator
        # runs (the store's batch is built as it is consumed) and resumes after, however it ends.
        paused = gc.isenabled()
        gc.disable()
        try:
            for path, triples in jobs:
                report.add_file(path)
                self.row = None
                try:
                    yield from triples
                except _BadValue as exc:
                    raise SourceFormatError(path, exc.reason, row=self.row, field=exc.column) from None
        finally:
            if paused:
                gc.enable()

    row: int | None = None

    # -- shared pieces -----------------------------------------------------------------------------
    def _labels(self, s: ox.NamedNode, pref: str, alt: str = "", hidden: str = "", *,
                write_pref: bool = True) -> Iterator[ox.Triple]:
        lit = self.literal
        if pref and write_pref:
            yield Triple(s, PREF, lit(pref))
        yield from self._alt_labels(s, pref, alt)
        for v in split_values(hidden) if hidden else ():
            yield Triple(s, HIDDEN, lit(v))

    def _alt_labels(self, s: ox.NamedNode, pref: str, alt: str) -> Iterator[ox.Triple]:
        """``skos:altLabel`` for each alternative label but the preferred one, which the ESCO CSV export
        repeats among them for most concepts (SKOS makes prefLabel and altLabel disjoint: S13)."""
        lit, repeated = self.literal, 0
        for v in split_values(alt) if alt else ():
            if v == pref:
                repeated += 1
            else:
                yield Triple(s, ALT, lit(v))
        if repeated:
            self.report.count("alternative labels repeating the preferred label (left out)", repeated)

    def _notes(self, s: ox.NamedNode, status: str, modified: str, scope: str, definition: str,
               description: str) -> Iterator[ox.Triple]:
        lit = self.literal
        if status:
            yield Triple(s, STATUS, self.plain(status))
        if modified:
            yield Triple(s, MODIFIED, ox.Literal(modified, datatype=XSD_DATETIME))
        if scope:
            yield Triple(s, SCOPE_NOTE, lit(scope))
        if definition:
            yield Triple(s, DEFINITION, lit(definition))
        if description:
            yield Triple(s, DESCRIPTION, lit(description))

    def _schemes_of(self, s: ox.NamedNode, uri: str, cell: str) -> Iterator[ox.Triple]:
        node, collections = self.node, self.collection_schemes
        for scheme in split_values(cell) if cell else ():
            if scheme in collections:
                self.in_collection.add((uri, scheme))
            yield Triple(s, IN_SCHEME, node(scheme, "inScheme"))

    # -- files -------------------------------------------------------------------------------------
    def _schemes(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node, lit = self.node, self.literal
        cols = ["conceptSchemeUri"]
        opt = ["preferredLabel", "title", "status", "description", "hasTopConcept"]
        for self.row, (uri, label, title, status, description, tops) in read_columns(path, cols, optional=opt):
            s = node(uri, "conceptSchemeUri")
            self.schemes.add(uri)
            yield Triple(s, A, SKOS_SCHEME)
            if label:
                yield Triple(s, PREF, lit(label))
            if title:
                yield Triple(s, TITLE, lit(title))
            if status:
                yield Triple(s, STATUS, self.plain(status))
            if description:
                yield Triple(s, DESCRIPTION, lit(description))
            for top in split_values(tops) if tops else ():
                yield Triple(s, TOP_CONCEPT, node(top, "hasTopConcept"))
            self.report.count("concept schemes")

    def _isco_groups(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node = self.node
        cols = ["conceptUri", "code", "preferredLabel"]
        opt = ["altLabels", "status", "inScheme", "description"]
        for self.row, (uri, code, label, alt, status, schemes, description) in read_columns(path, cols, optional=opt):
            s = node(uri, "conceptUri")
            self.groups.add(uri)
            yield Triple(s, A, SKOS_CONCEPT)
            yield Triple(s, A, ESCO_GROUP)
            if code:
                yield Triple(s, NOTATION, ox.Literal(code))
            yield from self._labels(s, label, alt)
            yield from self._notes(s, status, "", "", "", description)
            yield from self._schemes_of(s, uri, schemes)
            self.report.count("ISCO groups")

    def _occupations(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node, lit, report, labels, notes = self.node, self.literal, self.report, self._labels, self._notes
        cols = ["conceptUri", "preferredLabel"]
        opt = ["iscoGroup", "altLabels", "hiddenLabels", "status", "modifiedDate", "regulatedProfessionNote",
               "scopeNote", "definition", "inScheme", "description", "code"]
        for self.row, (uri, label, isco, alt, hidden, status, modified, regulated, scope, definition, schemes,
                       description, code) in read_columns(path, cols, optional=opt):
            s = node(uri, "conceptUri")
            self.occupations.add(uri)
            yield Triple(s, A, ESCO_OCCUPATION)
            yield Triple(s, A, ESCO_MEMBER)
            yield Triple(s, A, SKOS_CONCEPT)
            yield Triple(s, A, MCG_OCCUPATION)
            if label:
                yield Triple(s, PREF, lit(label))
            if code:
                yield Triple(s, NOTATION, ox.Literal(code))
            if isco:
                yield Triple(s, ISCO_GROUP_OF, node(ISCO + isco, "iscoGroup"))
            if regulated:
                yield Triple(s, REGULATED, node(regulated, "regulatedProfessionNote"))
            if alt or hidden:
                yield from labels(s, label, alt, hidden, write_pref=False)
            yield from notes(s, status, modified, scope, definition, description)
            yield from self._schemes_of(s, uri, schemes)
            report.count("occupations")

    def _skill_groups(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node = self.node
        cols = ["conceptUri", "preferredLabel"]
        opt = ["altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote", "inScheme", "description", "code"]
        for self.row, (uri, label, alt, hidden, status, modified, scope, schemes, description,
                       code) in read_columns(path, cols, optional=opt):
            s = node(uri, "conceptUri")
            self.groups.add(uri)
            yield Triple(s, A, SKOS_CONCEPT)
            yield Triple(s, A, ESCO_GROUP)
            if code:
                self.notations.add((uri, code))
                yield Triple(s, NOTATION, ox.Literal(code))
            yield from self._labels(s, label, alt, hidden)
            yield from self._notes(s, status, modified, scope, "", description)
            yield from self._schemes_of(s, uri, schemes)
            self.report.count("skill groups")

    def _skills(self, path: Path, key: str) -> Iterator[ox.Triple]:
        """The hot path among the concept files: 13,896 rows in v1.1.1 (methods bound once, outside the loop)."""
        node, lit, report = self.node, self.literal, self.report
        labels, notes, schemes_of = self._labels, self._notes, self._schemes_of
        cols = ["conceptUri", "preferredLabel"]
        opt = ["skillType", "reuseLevel", "altLabels", "hiddenLabels", "status", "modifiedDate", "scopeNote",
               "definition", "inScheme", "description"]
        skill_types, reuse_levels, skills = SKILL_TYPES, REUSE_LEVELS, self.skills
        n = 0
        for self.row, (uri, label, kind, reuse, alt, hidden, status, modified, scope, definition, schemes,
                       description) in read_columns(path, cols, optional=opt):
            s = node(uri, "conceptUri")
            skills.add(uri)
            yield Triple(s, A, ESCO_SKILL)
            yield Triple(s, A, ESCO_MEMBER)
            yield Triple(s, A, SKOS_CONCEPT)
            yield Triple(s, A, MCG_SKILL)
            if label:
                yield Triple(s, PREF, lit(label))
            t = skill_types.get(kind)
            if t is not None:
                yield Triple(s, SKILL_TYPE, t)
            elif not kind:
                report.warn(path, f"skillType is blank for {uri} ({label!r}); no esco:skillType written", self.row)
            else:
                report.warn(path, f"unknown skillType {kind!r} for {uri}; no esco:skillType written", self.row)
            r = reuse_levels.get(reuse)
            if r is not None:
                yield Triple(s, REUSE_LEVEL, r)
            elif not reuse:
                report.warn(path, f"reuseLevel is blank for {uri} ({label!r}); no esco:skillReuseLevel written",
                            self.row)
            else:
                report.warn(path, f"unknown reuseLevel {reuse!r} for {uri}; no esco:skillReuseLevel written",
                            self.row)
            yield from labels(s, label, alt, hidden, write_pref=False)
            yield from notes(s, status, modified, scope, definition, description)
            yield from schemes_of(s, uri, schemes)
            n += 1
        report.count("skills", n)
        if n == 0:
            report.warn(path, "the file has a header but no skill rows: this ESCO release loads without skills "
                        "(a truncated or filtered export?)")

    def _broader(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node, seen = self.node, self.broader
        kind = "broader links (occupation pillar)" if key == "broader_occupations" else "broader links (skill pillar)"
        n = 0
        for self.row, (uri, broader) in read_columns(path, ["conceptUri", "broaderUri"]):
            pair = (uri, broader)
            if pair in seen:
                continue
            seen.add(pair)
            yield Triple(node(uri, "conceptUri"), BROADER, node(broader, "broaderUri"))
            n += 1
        self.report.count(kind, n)

    def _hierarchy(self, path: Path, key: str) -> Iterator[ox.Triple]:
        """Skills hierarchy: broader pairs and codes the other files lack; groups only named here."""
        node, seen, report = self.node, self.broader, self.report
        uris = [f"Level {i} URI" for i in range(4)]
        terms = [f"Level {i} preferred term" for i in range(4)]
        codes = [f"Level {i} code" for i in range(4)]
        links = named = rows = 0
        for self.row, cells in read_columns(path, uris, optional=terms + codes, min_cells=10):
            rows += 1
            level_uris, level_terms, level_codes = cells[0:4], cells[4:8], cells[8:12]
            parent = None
            for i, uri in enumerate(level_uris):
                if not uri:
                    break
                s = node(uri, uris[i])
                if uri not in self.groups and uri not in self.skills:
                    self.groups.add(uri)
                    named += 1
                    report.warn(path, f"{uri} ({level_terms[i]!r}, level {i}) is not in the skill groups file; "
                                "typed as a skill group from this row", self.row)
                    yield Triple(s, A, SKOS_CONCEPT)
                    yield Triple(s, A, ESCO_GROUP)
                    if level_terms[i]:
                        yield Triple(s, PREF, self.literal(level_terms[i]))
                code = level_codes[i]
                if code and (uri, code) not in self.notations:
                    self.notations.add((uri, code))
                    yield Triple(s, NOTATION, ox.Literal(code))
                if parent is not None and (uri, parent) not in seen:
                    seen.add((uri, parent))
                    links += 1
                    yield Triple(s, BROADER, node(parent, uris[i - 1]))
                parent = uri
        report.count("skill hierarchy rows", rows)
        if links:
            report.count("broader links (skills hierarchy only)", links)
        if named:
            report.count("skill groups (named only in the hierarchy)", named)

    def _skill_skill(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node, report = self.node, self.report
        counts = {"essential": 0, "optional": 0}
        for self.row, (original, relation, related) in read_columns(
                path, ["originalSkillUri", "relationType", "relatedSkillUri"]):
            kind = KIND.get(relation)
            if kind is None:
                raise _BadValue("relationType", relation, f"relationType must be 'essential' or 'optional', "
                                f"not {relation[:40]!r}")
            yield Triple(node(original, "originalSkillUri"), kind[0], node(related, "relatedSkillUri"))
            counts[relation] += 1
        for relation, n in counts.items():
            report.count(f"skill-skill links ({relation})", n)

    def _occupation_skill(self, path: Path, key: str) -> Iterator[ox.Triple]:
        node, report = self.node, self.report
        occupations, skills = self.occupations, self.skills
        check_occupations, check_skills = "occupations" in self.files.paths, "skills" in self.files.paths
        reify, version = self.skill_requirements, report.version or ""
        counts = {"essential": 0, "optional": 0}
        dangling = 0
        blake2b, cached = hashlib.blake2b, self._nodes.get
        for self.row, (occupation, relation, skill, skill_type) in read_columns(
                path, ["occupationUri", "relationType", "skillUri"], optional=["skillType"]):
            kind = KIND.get(relation)
            if kind is None:
                raise _BadValue("relationType", relation, f"relationType must be 'essential' or 'optional', "
                                f"not {relation[:40]!r}")
            o = cached(occupation) or node(occupation, "occupationUri")
            s = cached(skill) or node(skill, "skillUri")
            if check_occupations and occupation not in occupations:
                dangling += 1
                report.warn(path, f"occupation {occupation} is not in the occupations file; the {relation} link "
                            f"to {skill} is loaded all the same", self.row)
                yield from self._dangling(o, path)
            if check_skills and skill not in skills:
                report.warn(path, f"skill {skill} is not in the skills file; link loaded all the same", self.row)
                yield from self._dangling(s, path)
            if not skill_type:
                report.warn(path, f"skillType is blank for {skill} (link from {occupation})", self.row)
            predicate, requirement_kind = kind
            yield Triple(o, predicate, s)
            if reify:
                digest = blake2b(f"{version}|{occupation}|{skill}".encode(), digest_size=12).hexdigest()
                r = N(REQUIREMENT_BASE + digest)
                yield Triple(o, HAS_REQUIREMENT, r)
                yield Triple(r, A, MCG_REQUIREMENT)
                yield Triple(r, REQUIRED_SKILL, s)
                yield Triple(r, REQUIREMENT_KIND, requirement_kind)
            counts[relation] += 1
        for relation, n in counts.items():
            report.count(f"occupation-skill links ({relation})", n)
        if dangling:
            report.count("occupation-skill links, occupation unknown (loaded)", dangling)

    def _dangling(self, node: ox.NamedNode, path: Path) -> Iterator[ox.Triple]:
        """Mark a node a relation row names but no file describes: typed ``mcg:DanglingReference``, with the
        file and row of each reference (``mcg:referencedAt``), so that queries see it."""
        if node not in self._dangling_nodes:
            self._dangling_nodes.add(node)
            self.report.count("dangling references (typed mcg:DanglingReference)")
            yield Triple(node, A, DANGLING)
        # the CSV's name without .gz: the graph is the same whether the export was compressed or not
        yield Triple(node, REFERENCED_AT, ox.Literal(f"{path.name.removesuffix('.gz')}, row {self.row}"))

    def _collection(self, path: Path, stem: str) -> Iterator[ox.Triple]:
        node, seen = self.node, self.in_collection
        label, scheme_iri = COLLECTIONS[stem]
        scheme = node(scheme_iri, "collection")
        if scheme_iri not in self.schemes:
            yield Triple(scheme, A, SKOS_SCHEME)
            yield Triple(scheme, PREF, self.literal(f"ESCO {label} collection"))
            self.schemes.add(scheme_iri)
        n = 0
        for self.row, (uri,) in read_columns(path, ["conceptUri"]):
            n += 1
            if (uri, scheme_iri) in seen:
                continue
            seen.add((uri, scheme_iri))
            yield Triple(node(uri, "conceptUri"), IN_SCHEME, scheme)
        self.report.count(f"collection members ({label})", n)


def rdf_dump_extras(path: Path, report: LoadReport, *, skill_requirements: bool = True) -> Iterator[ox.Triple]:
    """What an ESCO RDF dump lacks for mcgraph's cross-taxonomy queries, derived in one streaming pass.

    A dump is bulk-loaded as it is (see :meth:`EscoSource.native_format`); these are the triples the CSV
    path writes beyond the ESCO model: ``mcg:Skill`` / ``mcg:Occupation`` types for subjects typed
    ``esco:Skill`` / ``esco:Occupation``, and for each occupation–skill link (``esco:relatedEssentialSkill``
    from an occupation, or the inverse ``esco:isEssentialSkillFor`` from a skill; likewise optional) the
    forward triple when the dump only has the inverse, and a ``mcg:SkillRequirement`` node. Only types and
    link pairs are held in memory. Written by ``load_source`` beside the bulk-loaded dump (:meth:`EscoSource.extra_triples`).
    """
    type_, essential, optional = A, ESSENTIAL, OPTIONAL
    inverse = {IS_ESSENTIAL_FOR: "essential", IS_OPTIONAL_FOR: "optional"}
    forward = {ESSENTIAL: "essential", OPTIONAL: "optional"}
    occupations: set[ox.NamedNode] = set()
    links: dict[tuple[ox.NamedNode, ox.NamedNode], str] = {}
    stated: set[tuple[ox.NamedNode, ox.NamedNode]] = set()
    skills = 0
    for t in parse_rdf(path):
        p = t.predicate
        if p == type_:
            if t.object == ESCO_SKILL:
                skills += 1
                yield Triple(t.subject, A, MCG_SKILL)
            elif t.object == ESCO_OCCUPATION:
                occupations.add(t.subject)  # type: ignore[arg-type]
                yield Triple(t.subject, A, MCG_OCCUPATION)
        elif p == essential or p == optional:
            if isinstance(t.object, ox.NamedNode) and isinstance(t.subject, ox.NamedNode):
                links[(t.subject, t.object)] = forward[p]
                stated.add((t.subject, t.object))
        elif p in inverse and isinstance(t.object, ox.NamedNode) and isinstance(t.subject, ox.NamedNode):
            links.setdefault((t.object, t.subject), inverse[p])
    report.count("skills", skills)
    report.count("occupations", len(occupations))
    counts = {"essential": 0, "optional": 0}
    version = report.version or ""
    for (o, s), relation in links.items():
        if o not in occupations:
            continue  # a skill–skill relation
        predicate, requirement_kind = KIND[relation]
        if (o, s) not in stated:
            yield Triple(o, predicate, s)
        if skill_requirements:
            r = N(requirement_iri(version, o.value, s.value))
            yield Triple(o, HAS_REQUIREMENT, r)
            yield Triple(r, A, MCG_REQUIREMENT)
            yield Triple(r, REQUIRED_SKILL, s)
            yield Triple(r, REQUIREMENT_KIND, requirement_kind)
        counts[relation] += 1
    for relation, k in counts.items():
        report.count(f"occupation-skill links ({relation})", k)


SOURCE = EscoSource()
