"""The one format of the extractor test cases, shared by the per-table test
files (test_retention_periods.py, test_time_targets.py, test_log_timezones.py,
test_extractors.py for several tables at once, test_extractor_negatives.py).

A case is an input text and the FULL set of rows expected in a table for it,
each row built with keywords: ``ret(subject, action, value, unit, bound,
anchor=...)``, ``tt(kind, value=..., clock=..., days=...)``, ``tz(scope,
iana, offset)``. A missing row, a wrong value or a spurious extra row all
fail. Rows are compared as tuples of the columns in ``COLS`` (control_id
first: ``None`` unless the text starts with a numbered heading; build one with
``heading("12.4.1", "イベントログ取得")``). The texts run end to end through
``analyse_text``.
"""
from __future__ import annotations

from functools import lru_cache

from pipeline.normalize import normalize_text
from pipeline.process import analyse_text

RET = "retention_periods"
TT = "time_targets"
TZ = "log_timezones"

RET_COLS = ("control_id", "subject", "action", "value", "unit", "bound", "frequency", "anchor")
TT_COLS = ("control_id", "kind", "value", "unit", "bound", "frequency", "clock", "days_of_week",
           "is_goal", "anchor", "timezone")
TZ_COLS = ("control_id", "scope", "iana_tz", "utc_offset", "sync_source")
COLS = {RET: RET_COLS, TT: TT_COLS, TZ: TZ_COLS}


@lru_cache(maxsize=None)
def tables(text: str) -> dict:
    return analyse_text(text if text.endswith("\n") else text + "\n")


def _key(t: tuple) -> tuple:
    return tuple((v is None, repr(v)) for v in t)


def rows_of(text: str, table: str) -> list[tuple]:
    cols = COLS[table]
    return sorted((tuple(r[c] for c in cols) for r in tables(text)[table]), key=_key)


def ret(subject, action, value, unit, bound, frequency=None, anchor=None, control_id=None):
    return (control_id, subject, action, None if value is None else float(value), unit, bound, frequency, anchor)


def tt(kind, value=None, unit=None, bound="exact", frequency=None, clock=None, days=None, goal=False,
       anchor=None, tz=None, control_id=None):
    return (control_id, kind, None if value is None else float(value), unit, bound, frequency, clock, days,
            goal, anchor, tz)


def tz(scope, iana, offset, sync=None, control_id=None):
    return (control_id, scope, iana, offset, sync)


def check(text: str, table: str, expected: list[tuple]) -> None:
    got = rows_of(text, table)
    assert got == sorted(expected, key=_key), f"{table} for {text!r}"
    norm = normalize_text(text)          # what the pipeline reads (NFKC, wave dashes as ~)
    for r in tables(text)[table]:
        assert r["evidence"] and r["evidence"] in norm


def columns(text: str, table: str, *cols: str) -> list[tuple]:
    """The given columns of a table's rows, in the order extracted."""
    return [tuple(r[c] for c in cols) for r in tables(text)[table]]


def heading(number: str, title: str) -> str:
    """A numbered heading above a case's text: its control_id goes to every row."""
    return f"{number} {title}\n\n"
