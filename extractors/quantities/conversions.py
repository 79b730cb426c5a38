"""Unit conversions of durations: ISO 8601, calendar days, hours."""
from __future__ import annotations

from extractors.quantities.numbers import fmt

_ISO_FORMAT = {'minute': 'PT{}M', 'hour': 'PT{}H', 'day': 'P{}D', 'week': 'P{}W',
               'month': 'P{}M', 'year': 'P{}Y'}
_DAYS_PER_UNIT = {'minute': (1, 1440), 'hour': (1, 24), 'day': (1, 1),
                  'business_day': (7, 5), 'week': (7, 1), 'month': (30, 1),
                  'year': (365, 1)}


def iso_duration(value: float, unit: str) -> str | None:
    """ISO 8601 duration (``PT72H``, ``P35D``, ``PT1.5H``); ``None`` for
    business days, generations, percentages and unknown units."""
    fmt_ = _ISO_FORMAT.get(unit)
    if fmt_ is None or value is None:
        return None
    return fmt_.format(fmt(value))


def to_days(value: float, unit: str) -> float | None:
    """Calendar days: month = 30, year = 365, business day = 7/5 day."""
    ratio = _DAYS_PER_UNIT.get(unit)
    if ratio is None or value is None:
        return None
    num, den = ratio
    return float(value) * num / den


def to_hours(value: float, unit: str) -> float | None:
    """Hours: ``to_days * 24`` (minutes exactly ``value / 60``)."""
    if unit == 'minute' and value is not None:
        return float(value) / 60
    ratio = _DAYS_PER_UNIT.get(unit)
    if ratio is None or value is None:
        return None
    num, den = ratio
    return float(value) * num * 24 / den
