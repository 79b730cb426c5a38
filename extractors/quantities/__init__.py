"""Numeric time / quantity expressions in normalised Japanese text.

A small package of value parsers, one module per kind of value, in the style
of ja-timex (written from scratch, no date library):

* ``numbers``         - ``parse_number``: ``72``, ``1,000``, ``七十二``, ``二〇二一``
* ``durations``       - :func:`find_quantities`: ``72 時間以内``, ``最低1年間``, ``3~5営業日``, ``99.9%以上``
* ``frequencies``     - :func:`find_frequencies`: ``日次``, ``年に2回``, ``5分毎``, ``3日に1回``
* ``clocks``          - :func:`find_clocks`: ``午後6時``, ``9:00-17:30``, ``18時以降``
* ``weekdays``        - :func:`find_days_of_week`: ``月~金``, ``平日``, ``土日祝``, ``年中無休``
* ``round_the_clock`` - ``24時間365日`` and its kin: service hours, not durations
* ``rejects``         - named look-alikes that are no quantity (``10時30分``, ``十分な``, ``2021年``)
* ``conversions``     - ``iso_duration``, ``to_days``, ``to_hours``

Input must already be normalised (NFKC, every wave dash turned into ASCII
``~``; see ``pipeline/normalize.py``). Every offset returned is a character
offset into the string passed in; ``text`` fields are ``text[start:end]``.
Each module's docstring says the choices its callers need to know.
"""
from __future__ import annotations

from extractors.quantities.clocks import Clock, find_clocks
from extractors.quantities.conversions import iso_duration, to_days, to_hours
from extractors.quantities.durations import BOUNDS, UNITS, Quantity, find_quantities
from extractors.quantities.frequencies import FREQUENCIES, Frequency, find_frequencies
from extractors.quantities.numbers import parse_number
from extractors.quantities.weekdays import DaysOfWeek, find_days_of_week

__all__ = [
    "UNITS", "BOUNDS", "FREQUENCIES",
    "Quantity", "Frequency", "Clock", "DaysOfWeek",
    "parse_number", "find_quantities", "find_frequencies", "find_clocks",
    "find_days_of_week", "iso_duration", "to_days", "to_hours",
]
