"""Synthetic micro-credential catalogues for benchmarks: ``mcgraph generate credentials --count N --seed S``.

Skills come from the taxonomies loaded in the store (every ``mcg:Skill``, with the rating scale of its
taxonomy), qualification levels and credit systems from the loaded frameworks (``mcgraph build``). The
distributions are chosen to look like real catalogues (see :data:`HOURS_MIX` and :func:`generate_credentials`):
most credentials are short courses of 10-40 notional hours or ECMF-sized units of 100-150 hours; the
jurisdictions follow :data:`JURISDICTIONS`; within one, providers follow a Zipf law (a few offer many); a few skills are claimed far more often than most; about
3 % of the catalogue are awards that other credentials stack into. The same ``seed`` and store give the same
catalogue. Every generated credential is marked ``illustrative`` with the note ``synthetic``.

>>> from mcgraph.store import EmbeddedStore
>>> list(generate_credentials(EmbeddedStore(), 1))
Traceback (most recent call last):
...
mcgraph.errors.McgraphError: no skills are loaded to draw from: run `mcgraph build` (sample taxonomy slice) or load ESCO/OaSIS first
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ..errors import McgraphError
from ..namespaces import MCGID, OASIS, ONET
from ..queries import get_query
from ..store import GraphStore
from .model import (
    ASSESSMENT_TYPES,
    DELIVERY_MODES,
    IDENTITY_VERIFICATION,
    SCALES,
    SCALES_BY_IRI,
    Assessment,
    Credential,
    CreditValue,
    Provider,
    SkillClaim,
    credential_iri,
    jurisdiction_iri,
)
from .resolve import default_scheme

#: Jurisdictions and their share of the synthetic catalogue, with currency, languages and the short names
#: of the qualification framework and credit system a credential there uses (when loaded).
JURISDICTIONS: tuple[tuple[str, float, str, tuple[str, ...], str | None, str | None], ...] = (
    ("CA-ON", 0.17, "CAD", ("en",), "oqf", "ca-course-credit"),
    ("CA-BC", 0.13, "CAD", ("en",), None, None),
    ("CA-AB", 0.07, "CAD", ("en",), None, None),
    ("CA-SK", 0.03, "CAD", ("en",), None, None),
    ("CA-QC", 0.05, "CAD", ("fr", "en"), None, None),
    ("AU", 0.12, "AUD", ("en",), "aqf", None),
    ("NZ", 0.05, "NZD", ("en", "mi"), "nzqcf", "nzqa-credit"),
    ("IE", 0.07, "EUR", ("en", "ga"), "nfq", "ects"),
    ("EU", 0.13, "EUR", ("en", "fr", "de", "es"), "eqf", "ects"),
    ("SG", 0.06, "SGD", ("en",), "wsq", None),
    ("US", 0.12, "USD", ("en", "es"), None, "us-semester-credit"),
)

#: Notional hours: (share, low, high) bands, drawn log-uniformly inside a band.
HOURS_MIX: tuple[tuple[float, float, float], ...] = (
    (0.12, 1, 10),       # badges and workshops
    (0.38, 10, 40),      # short courses (Appendix 2: components of 25-30 h)
    (0.35, 90, 160),     # ECMF-sized units (100-150 h)
    (0.15, 160, 600),    # long programmes and awards
)

_LEVEL_RANGES = {"eqf": (4, 7), "nfq": (6, 9), "nzqcf": (3, 7), "aqf": (4, 8), "wsq": (1, 5), "oqf": (5, 10)}


@dataclass(frozen=True)
class _Skill:
    iri: str
    label: str
    scale: str
    taxonomy: str | None


def _skills(store: GraphStore) -> list[_Skill]:
    rows = get_query("generator-skills").run(store)
    out = []
    for r in rows.dicts():
        iri, scheme = r["s"] or "", r["sch"]
        if iri.startswith(f"{OASIS}"):
            kind = (scheme or "").rsplit("/", 1)[-1]
            scale = {"knowledge": "oasis-knowledge", "abilities": "oasis-abilities"}.get(kind, "oasis-skills")
        elif iri.startswith(str(ONET)):
            scale = "onet-level"
        elif iri.startswith("https://rdf.sfia-online.org/9/"):
            scale = "sfia-9"
        else:
            scale = "proficiency-4"
        taxonomy = default_scheme(iri) or scheme
        out.append(_Skill(iri, r["label"] or iri.rsplit("/", 1)[-1], SCALES[scale].iri, taxonomy))
    return sorted(out, key=lambda s: s.iri)


def _levels(store: GraphStore) -> dict[str, list[tuple[int, str]]]:
    """Qualification levels per framework short name: [(level number, IRI)]."""
    rows = get_query("generator-levels").run(store)
    out: dict[str, list[tuple[int, str]]] = {}
    for r in rows.dicts():
        try:
            out.setdefault((r["name"] or "").lower(), []).append((int(r["n"] or 0), r["level"] or ""))
        except ValueError:
            continue
    return {k: sorted(v) for k, v in out.items()}


def _credit_systems(store: GraphStore) -> dict[str, tuple[str, Decimal]]:
    """Credit systems by short name: (IRI, mean hours per credit)."""
    rows = get_query("generator-credit-systems").run(store)
    out = {}
    for r in rows.dicts():
        if r["min"] and r["max"]:
            out[(r["name"] or "").lower()] = (r["cs"] or "", (Decimal(r["min"]) + Decimal(r["max"])) / 2)
    return out


class _Zipf:
    """Draws items with probability proportional to 1 / rank**s over a seeded random ranking."""

    def __init__(self, items: Sequence[object], rng: random.Random, s: float = 1.0) -> None:
        self.items = list(items)
        rng.shuffle(self.items)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(self.items))))
        self.rng = rng

    def draw(self) -> object:
        x = self.rng.random() * self.cum[-1]
        return self.items[min(bisect.bisect_left(self.cum, x), len(self.items) - 1)]


def _hours(rng: random.Random) -> Decimal:
    x = rng.random()
    for share, low, high in HOURS_MIX:
        if x < share:
            value = math.exp(rng.uniform(math.log(low), math.log(high)))
            return Decimal(round(value * 2) / 2).quantize(Decimal("0.5"))
        x -= share
    return Decimal(30)


def generate_credentials(store: GraphStore, count: int, seed: int = 0) -> Iterator[Credential]:
    """``count`` synthetic credentials drawn from what ``store`` has loaded, reproducibly for ``seed``."""
    if count < 0:
        raise McgraphError("--count must not be negative")
    skills = _skills(store)
    if not skills:
        raise McgraphError("no skills are loaded to draw from: run `mcgraph build` (sample taxonomy slice) "
                           "or load ESCO/OaSIS first")
    levels, systems = _levels(store), _credit_systems(store)
    label_of = {s.iri: s.label for s in skills}
    rng = random.Random(seed)
    skill_pick = _Zipf(skills, rng, 0.9)
    n_providers = max(20, count // 25)
    jurisdiction_weights = [j[1] for j in JURISDICTIONS]
    provider_picks = []
    number = itertools.count(1)
    for j in JURISDICTIONS:
        own = []
        for _ in range(max(2, round(n_providers * j[1]))):
            p = next(number)
            own.append(Provider(f"{MCGID}provider/synthetic-{seed}-{p:05d}", f"Synthetic provider {p:05d}"))
        provider_picks.append(_Zipf(own, rng, 1.0))
    awards: dict[str, list[str]] = {}
    width = max(6, len(str(count)))
    for n in range(1, count + 1):
        j_index = rng.choices(range(len(JURISDICTIONS)), weights=jurisdiction_weights)[0]
        code, _, currency, langs, qf, cs = JURISDICTIONS[j_index]
        provider: Provider = provider_picks[j_index].draw()  # type: ignore[assignment]
        ident = f"syn-{seed}-{n:0{width}d}"
        is_award = rng.random() < 0.03
        hours = _hours(rng) if not is_award else Decimal(rng.choice((360, 480, 600, 900, 1200)))
        claims: dict[str, SkillClaim] = {}
        k = min(12, 1 + int(rng.expovariate(1 / 2.5)))
        while len(claims) < k:
            skill: _Skill = skill_pick.draw()  # type: ignore[assignment]
            if skill.iri in claims:
                if rng.random() < 0.3:
                    break
                continue
            scale = SCALES_BY_IRI[skill.scale]
            span = int(scale.maximum - scale.minimum)
            level = scale.minimum + min(span, max(0, round(rng.triangular(0, span, span * 0.45))))
            kind = rng.choices(("taught+assessed", "taught", "assessed"), weights=(55, 30, 15))[0]
            claims[skill.iri] = SkillClaim(skill.iri, frozenset(kind.split("+")), Decimal(level), None,
                                           skill.scale, skill.taxonomy)
        first = next(iter(claims))
        topic = label_of[first]
        level_iris: tuple[str, ...] = ()
        if qf and qf in levels and rng.random() < 0.8:
            low, high = _LEVEL_RANGES.get(qf, (1, 10))
            choices = [iri for num, iri in levels[qf] if low <= num <= high]
            if choices:
                level_iris = (rng.choice(choices),)
        credits: tuple[CreditValue, ...] = ()
        if cs and cs in systems and rng.random() < 0.85:
            system_iri, per_credit = systems[cs]
            points = (hours / per_credit * 2).quantize(Decimal(1)) / 2
            if points > 0:
                credits = (CreditValue(points, system_iri),)
        start = date(2025, 1, 6) + timedelta(days=7 * rng.randrange(0, 156))
        weeks = max(1, min(52, int(hours / Decimal(rng.choice((4, 6, 8, 10))) + 1)))
        free = rng.random() < 0.1
        price = Decimal(0) if free else Decimal(round(math.exp(rng.gauss(math.log(450), 0.8)) / 5) * 5)
        mode = rng.choices(list(DELIVERY_MODES.values()), weights=(50, 30, 20))[0]
        types = tuple(sorted(set(rng.sample(list(ASSESSMENT_TYPES.values()), rng.randint(1, 2)))))
        identity = rng.choice(list(IDENTITY_VERIFICATION.values()))
        stacks: tuple[str, ...] = ()
        key = provider.iri
        if not is_award and awards.get(key) and rng.random() < 0.25:
            stacks = (rng.choice(awards[key]),)
        iri = credential_iri(ident)
        if is_award:
            awards.setdefault(key, []).append(iri)
        yield Credential(
            iri=iri,
            title=f"{'Award' if is_award else 'Micro-credential'} {n}: {topic}",
            kind="award" if is_award else "micro-credential",
            provider=provider,
            description=f"Synthetic {'award' if is_award else 'micro-credential'} generated for benchmarks.",
            learning_outcomes=tuple(f"Apply {label_of[s]}" for s in list(claims)[:2]),
            languages=(langs[0],) if rng.random() < 0.85 else langs[:2],
            delivery_mode=mode,
            start_date=start, end_date=start + timedelta(weeks=weeks),
            notional_hours=hours, duration_weeks=Decimal(weeks),
            price=price, currency=currency, financial_assistance="None" if not free else "Free",
            assessments=(Assessment("Synthetic assessment", types, identity),),
            credits=credits,
            jurisdictions=(jurisdiction_iri(code),),
            stacks_into=stacks,
            levels=level_iris,
            skill_claims=tuple(claims.values()),
            illustrative=True,
            notes=(f"synthetic (mcgraph generate credentials --seed {seed})",),
        )


__all__ = ["HOURS_MIX", "JURISDICTIONS", "generate_credentials"]
