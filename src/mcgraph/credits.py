"""Converting volumes of learning between credit systems, through notional learning hours.

Every credit system (``data/frameworks/credit-systems.ttl``) states how many notional hours one credit
stands for, as a range where its source gives one (ECTS: 25-30). A conversion goes value → hours → target
units and keeps the range, so it never pretends to more precision than the sources give, and it names the
assumption it used.

>>> nz = CreditSystem("nz", "nzqa-credit", "NZQA credit", Decimal(10), Decimal(10))
>>> ects = CreditSystem("e", "ects", "ECTS credit", Decimal(25), Decimal(30))
>>> r = convert_between(Decimal(40), nz, ects)
>>> (r.low_text, r.high_text)
('13.33', '16')
>>> str(r).split(" (")[0]
'40 NZQA credits = 400 notional hours = 13.33–16 ECTS credits'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import McgraphError
from .levels import require_frameworks
from .queries import run_query
from .store import GraphStore

HOURS_UNITS = ("hours", "hour", "h", "notional-hours")
"""Unit names meaning notional learning hours themselves."""


class ConversionError(McgraphError):
    """A unit is unknown, has no notional-hours figure, or the value is not a number."""


@dataclass(frozen=True)
class CreditSystem:
    """A credit system with the notional hours one credit stands for (None: no official figure)."""

    iri: str
    short_name: str
    label: str
    hours_min: Decimal | None
    hours_max: Decimal | None
    note: str | None = None
    sources: tuple[str, ...] = ()

    @property
    def convertible(self) -> bool:
        return self.hours_min is not None and self.hours_max is not None

    def plural(self, value: Decimal) -> str:
        """``NZQA credit`` → ``NZQA credits`` (the word before any bracket); singular for exactly 1."""
        if value == 1:
            return self.label
        head, sep, tail = self.label.partition(" (")
        return f"{head}s{sep}{tail}"

    def per_credit(self) -> str:
        """``25–30 notional hours per ECTS credit``."""
        return f"{_range(self.hours_min, self.hours_max)} notional hours per {self.label}"


NOTIONAL_HOURS = CreditSystem(
    "",
    "hours",
    "notional hour",
    Decimal(1),
    Decimal(1),
    "Notional learning hours: all the time a typical learner needs, including assessment.",
)


@dataclass(frozen=True)
class ConversionResult:
    """``value`` source units are ``low``–``high`` target units (``hours_low``–``hours_high`` hours)."""

    value: Decimal
    source: CreditSystem
    target: CreditSystem
    hours_low: Decimal
    hours_high: Decimal
    low: Decimal
    high: Decimal

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def low_text(self) -> str:
        return _num(self.low)

    @property
    def high_text(self) -> str:
        return _num(self.high)

    @property
    def assumption(self) -> str:
        """The hours-per-credit figures used, e.g. ``10 notional hours per NZQA credit and …``."""
        parts = [s.per_credit() for s in (self.source, self.target) if s.short_name != "hours"]
        return " and ".join(parts) if parts else "no conversion needed"

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.source.sources + self.target.sources))

    def __str__(self) -> str:
        steps = [f"{_num(self.value)} {self.source.plural(self.value)}"]
        if "hours" not in (self.source.short_name, self.target.short_name):
            steps.append(f"{_range(self.hours_low, self.hours_high)} notional hours")
        steps.append(f"{_range(self.low, self.high)} {self.target.plural(self.high)}")
        text = " = ".join(steps) + f" (assuming {self.assumption}"
        if self.sources:
            text += f"; sources: {'; '.join(self.sources)}"
        return text + ")"

    def to_dict(self) -> dict[str, object]:
        return {
            "value": str(self.value),
            "from": self.source.short_name,
            "to": self.target.short_name,
            "low": _num(self.low),
            "high": _num(self.high),
            "hours_low": _num(self.hours_low),
            "hours_high": _num(self.hours_high),
            "assumption": self.assumption,
            "sources": list(self.sources),
            "text": str(self),
        }


def _num(value: Decimal) -> str:
    """At most two decimals, no trailing zeros: 13.333… → ``13.33``, 16.00 → ``16``."""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _range(low: Decimal | None, high: Decimal | None) -> str:
    if low is None or high is None:
        return "?"
    return _num(low) if _num(low) == _num(high) else f"{_num(low)}–{_num(high)}"


def _decimal(text: str | None) -> Decimal | None:
    return None if text in (None, "") else Decimal(str(text))


def credit_systems(store: GraphStore) -> dict[str, CreditSystem]:
    """The credit systems in the store by short name (needs ``mcgraph build``)."""
    require_frameworks(store)
    out = {}
    for r in run_query(store, "credit-systems").dicts():
        sources = tuple(s for s in (r["sources"] or "").split(" | ") if s)
        system = CreditSystem(
            r["system"] or "",
            r["shortName"] or "",
            r["label"] or "",
            _decimal(r["hoursMin"]),
            _decimal(r["hoursMax"]),
            r["note"],
            sources,
        )
        out[system.short_name] = system
    return out


def parse_value(text: str | Decimal | float) -> Decimal:
    """A non-negative, finite number from the command line."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ConversionError(f"{text!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise ConversionError(f"{text!r}: give a finite, non-negative amount")
    return value


def lookup_unit(unit: str, systems: dict[str, CreditSystem]) -> CreditSystem:
    """A credit system by short name, or notional hours for ``hours``/``h``."""
    key = unit.strip().lower()
    if key in HOURS_UNITS:
        return NOTIONAL_HOURS
    if key in systems:
        return systems[key]
    known = ", ".join(sorted(systems) + ["hours"])
    raise ConversionError(f"unknown unit {unit!r}; known units: {known}")


def convert_between(value: Decimal, source: CreditSystem, target: CreditSystem) -> ConversionResult:
    """Convert through notional hours, keeping the widest range the two systems' figures allow."""
    for system in (source, target):
        if not system.convertible:
            raise ConversionError(
                f"{system.label} ({system.short_name}) has no official notional-hours figure, "
                f"so it cannot be converted. {system.note or ''}".strip()
            )
    assert source.hours_min is not None and source.hours_max is not None
    assert target.hours_min is not None and target.hours_max is not None
    hours_low, hours_high = value * source.hours_min, value * source.hours_max
    return ConversionResult(
        value,
        source,
        target,
        hours_low,
        hours_high,
        hours_low / target.hours_max,
        hours_high / target.hours_min,
    )


def convert(store: GraphStore, value: str | Decimal | float, source: str, target: str) -> ConversionResult:
    """``convert(store, 40, "nzqa-credit", "ects")`` → 13.33–16 ECTS, with the assumption it used."""
    systems = credit_systems(store)
    return convert_between(parse_value(value), lookup_unit(source, systems), lookup_unit(target, systems))
