"""OaSIS descriptor families and the explicit header → guide mapping, as data.

OaSIS 2023 v1.0 ships one wide CSV per descriptor family (one column per descriptor). Column headers
name descriptors of ``guide_oasis_2023_v1.0.csv`` (the OaSIS guide: ``Code, Name, Structure type,
Category, Description``), but not always exactly. A header is matched to a guide descriptor of the
family's guide category in this order:

1. the header, with surrounding and repeated spaces removed, equals a guide descriptor ``Name``;
2. the same, ignoring case (``Setting up`` → ``Setting Up``);
3. :data:`HEADER_ALIASES` below — headers that abbreviate or rename a guide entry, written out by hand
   after reading both files (a header found nowhere is reported as a warning and its column skipped).

Work context descriptors can be rated on two dimensions ("measured by frequency on a scale of 1-5 and
duration on a scale of 1-5"). The file then has two columns: the plain name for the first dimension and
the name followed by a number (``Time Pressure2``, ``Sound and Noise 9``) for the second; see
:data:`SECOND_DIMENSION_HEADERS`.

>>> FAMILIES["skills"].scheme_slug, FAMILIES["knowledges"].maximum
('skills', 3)
>>> parse_dimensions("measured by frequency on a scale of 1-5 and duration on a scale of 1-5.")
[('frequency', 1, 5), ('duration', 1, 5)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """One OaSIS descriptor family: its rating file, guide category, scheme and rating scale.

    ``measure`` is what the rating expresses: ``"level"`` becomes ``mcg:requiredLevel`` +
    ``mcg:levelScale`` on a skill requirement, ``"importance"`` becomes ``mcg:importance`` +
    ``mcg:importanceScale``, ``"context"`` becomes an ``mcg:OccupationRating`` (not a requirement).
    ``is_skill``: whether the family's descriptors are typed ``mcg:Skill`` (skills, abilities, knowledge);
    the others are plain ``skos:Concept``s.
    """

    stem: str  # file name before "_oasis": skills_oasis_2023_v1.0.csv
    category: str  # guide "Category" value
    scheme_slug: str  # oasis/<slug> concept scheme
    title: str  # scheme title
    is_skill: bool
    measure: str  # "level", "importance" or "context"
    scale_name: str  # what the numbers mean, from the guide
    minimum: int = 1
    maximum: int = 5


#: Rating families by file stem. Scale names and ranges are those the guide states for every
#: descriptor of the family ("measured by proficiency level on a scale of 1-5"); a 0 in the files is
#: outside the scale and means the descriptor is not required for the profile.
FAMILIES: dict[str, Family] = {
    f.stem: f
    for f in (
        Family("skills", "Skills", "skills", "OaSIS skills", True, "level", "proficiency level"),
        Family("abilities", "Abilities", "abilities", "OaSIS abilities", True, "level", "proficiency level"),
        Family(
            "knowledges", "Knowledge", "knowledge", "OaSIS knowledge", True, "level", "knowledge level", 1, 3
        ),
        Family(
            "personal-attributes",
            "Personal Attributes",
            "personal-attributes",
            "OaSIS personal attributes",
            False,
            "importance",
            "importance",
        ),
        Family(
            "workactivities",
            "Work Activities",
            "work-activities",
            "OaSIS work activities",
            False,
            "level",
            "complexity level",
        ),
        Family(
            "workcontext",
            "Work Context",
            "work-context",
            "OaSIS work context",
            False,
            "context",
            "work context rating",
        ),
    )
}

#: Guide categories without a rating file of the wide kind (interests are three Holland letters).
INTERESTS = Family(
    "interests",
    "Interests",
    "interests",
    "OaSIS interests (Holland codes)",
    False,
    "context",
    "Holland code rank",
    1,
    3,
)

#: Every guide category → its family (for the descriptor schemes).
BY_CATEGORY: dict[str, Family] = {f.category: f for f in (*FAMILIES.values(), INTERESTS)}

#: Headers that name a guide descriptor differently, per guide category: header (spaces normalised)
#: → guide code. Checked against guide_oasis_2023_v1.0.csv and the 2023 v1.0 rating files.
HEADER_ALIASES: dict[str, dict[str, str]] = {
    "Knowledge": {
        "Business Administration": "G01a02",  # guide: Business Management
        "Client Services": "G01a07",  # guide: Client Service
        "Vehicles and Machinery Operations": "G10a06",  # guide: Vehicle, Machinery and Equipment Operations
    },
    "Work Activities": {
        # guide: Estimating the Quantifiable Characteristics
        "Estimate Quantifiable Charact. of Prod., Events or Info.": "K01b02",
        # guide: Evaluating Information to Determine Compliance
        "Evaluating Information to Determine Compliance with Standards": "K03a02",
        "Using New Relevant Knowledge": "K03b04",  # guide: Applying New Knowledge
    },
    "Work Context": {
        "Work Schedule": "J01c03",  # guide: Type of Work Schedules
    },
}

#: Work context columns holding the *second* dimension of a two-dimension descriptor → guide code.
SECOND_DIMENSION_HEADERS: dict[str, str] = {
    "Time Pressure2": "J01c02",  # frequency, then importance
    "In an Enclosed Vehicle or Equipment3": "J02b01",  # frequency, then duration
    "In an Open Vehicle or Equipment4": "J02b02",
    "Indoors, Environmentally Controlled5": "J02b03",
    "Indoors, Not Environmentally Controlled6": "J02b04",
    "Outside, Exposed to Weather7": "J02b05",
    "Outside, Under Cover8": "J02b06",
    "Sound and Noise 9": "J02c04",
    "Contact With Others10": "J04a02",
    "Work With Work Group or Team11": "J04a05",  # frequency, then importance
}

#: Holland (RIASEC) letters of the interests file → guide descriptor names.
HOLLAND: dict[str, str] = {
    "R": "Realistic",
    "I": "Investigative",
    "A": "Artistic",
    "S": "Social",
    "E": "Enterprising",
    "C": "Conventional",
}

_MEASURE = re.compile(
    r"(?:measured\s+(?:by|in)|(?<=\d)\s+and(?:\s+in)?)\s+(.*?)\s+on\s+a\s+scale\s+of\s+(\d+)\s*[-–]\s*(\d+)",
    re.I,
)
_STRAY_CODE = re.compile(r"(?<=[a-z])[A-Z]\.\d{2}(?:\.[a-z](?:\.\d{2})?)?$")


def normalise_header(text: str) -> str:
    """Strip and collapse spaces: ``" Writing  "`` → ``"Writing"``."""
    return " ".join(text.split())


def parse_dimensions(description: str) -> list[tuple[str, int, int]]:
    """The rating dimensions a guide description states, as ``(name, minimum, maximum)``.

    "measured by frequency on a scale of 1-5 and in duration on a scale of 1-5" → frequency and duration.
    Empty when the description states no scale.
    """
    return [(m.group(1).strip(), int(m.group(2)), int(m.group(3))) for m in _MEASURE.finditer(description)]


def slug(text: str) -> str:
    """An IRI-safe lower-case slug: ``"degree of automation"`` → ``"degree-of-automation"``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def clean_name(name: str) -> tuple[str, bool]:
    """A guide name without a stray code glued to its end (``Reading and Writing SkillsF.01.b.01``);
    returns the name and whether it was changed."""
    cleaned = _STRAY_CODE.sub("", name).strip()
    return cleaned, cleaned != name.strip()
