"""schema.small_array lays out a few values in Arrow buffers itself (no
pandas import); it must build exactly what pa.array builds."""
from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, strategies as st

from pipeline.arrow_tables import BOOL, F64, I32, STR, TS, small_array, to_table
from pipeline.schema import TABLES

UTC = dt.timezone.utc
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.mark.parametrize("values, typ", [
    (["ログ", None, "", "a\x00b", "𠮷野家"], STR),
    ([], STR),
    ([None, None, None], STR),
    ([0, -1, 2**31 - 1, -2**31, None], I32),
    ([1.5, None, 2, float("inf"), -0.0], F64),
    ([True, None, False, True, True, False, False, False, True], BOOL),   # crosses a bitmap byte
    ([dt.datetime(2026, 11, 22, 5, 32, 31, 123456, tzinfo=UTC), None,
      dt.datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
      dt.datetime(2026, 11, 22, 14, 0, tzinfo=JST)], TS),                  # an aware non-UTC time
    ([dt.date(2024, 1, 31), None, dt.date(1969, 12, 31)], pa.date32()),  # documents.published
    ([["A.12.3.1", "CLD.12.1.5"], None, [], ["A.5.1.1"]], pa.list_(STR)),  # sections.control_ids
    ([[], []], pa.list_(STR)),
])
def test_small_array_equals_pa_array(values, typ):
    got, want = small_array(values, typ), pa.array(values, type=typ)
    got.validate(full=True)
    assert got.equals(want) and got.to_pylist() == want.to_pylist()


@pytest.mark.parametrize("values, typ", [
    ([dt.datetime(2026, 1, 1)], TS),          # naive: pa.array's own rules
    ([2**40], I32),                           # overflow: pa.array's own error
    (["x"], pa.dictionary(pa.int32(), pa.string())),
    ([dt.datetime(2026, 1, 1, tzinfo=UTC)], pa.date32()),        # a datetime where a date goes
    ([["x", 1]], pa.list_(STR)),                                  # pa.array's own error
])
def test_small_array_leaves_other_cases_to_pa_array(values, typ):
    try:
        want = pa.array(values, type=typ)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as e:
        with pytest.raises(type(e)):
            small_array(values, typ)
    else:
        assert small_array(values, typ).equals(want)


@given(st.lists(st.one_of(st.none(), st.text(max_size=20)), max_size=70))
def test_small_array_strings_property(values):
    assert small_array(values, STR).equals(pa.array(values, type=STR))


@given(st.lists(st.one_of(st.none(), st.integers(-2**31, 2**31 - 1)), max_size=70))
def test_small_array_int32_property(values):
    assert small_array(values, I32).equals(pa.array(values, type=I32))


def test_runs_row_builds_the_same_table_either_way():
    row = dict(run_id="r1", started_at=dt.datetime(2026, 11, 22, tzinfo=UTC),
               finished_at=dt.datetime(2026, 11, 22, 0, 0, 1, tzinfo=UTC), pipeline_version="0.1.0",
               n_new=1, n_changed=0, n_unchanged=3, n_deleted=0, n_failed=0, duration_s=1.25,
               exit_status="ok")
    small = to_table("runs", [row])
    big = to_table("runs", [row] * 65)          # over SMALL_ROWS: pa.array's path
    assert small.equals(big.slice(0, 1))
    assert {c.type for c in TABLES["runs"]} <= {STR, I32, F64, TS, BOOL}


def test_readme_issue_table_lists_every_issue_code():
    """The README's table of issue codes and ISSUE_CODES say the same."""
    import re
    from pathlib import Path

    from pipeline.schema import ISSUE_CODES
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("The issue codes a file can get:", 1)[1].split("\n\n", 2)[1]
    codes = re.findall(r"`([a-z_]+)`", "\n".join(line.split("|")[1] for line in table.splitlines()[2:]))
    assert sorted(codes) == sorted(ISSUE_CODES)
    assert "cache_rejected" in codes


@pytest.mark.parametrize("values, typ", [
    (["ログ", "", "a\x00b", "𠮷野家", "x" * 300] * 40, STR),
    ([0, -1, 2**31 - 1, -2**31, 7] * 40, I32),
    (["ログ", None] * 100, STR),             # nulls: pa.array's path
    ([1, None] * 100, I32),
    ([1.5, 2.0] * 100, F64),
])
def test_long_columns_equal_pa_array(values, typ):
    """Long columns (the tokens table) are laid out with numpy, not pa.array
    (which imports pandas into the worker)."""
    from pipeline.arrow_tables import _column
    got = _column(values, typ)
    got.validate(full=True)
    assert got.equals(pa.array(values, type=typ))


def test_tokens_table_without_pandas():
    import subprocess
    import sys
    code = ("import sys; from pipeline.process import process_document;"
            "r = process_document('a.txt', ('ログは1年間保存します。\\n' * 200).encode());"
            "assert r.tables['tokens'].num_rows > 1000, r.tables['tokens'].num_rows;"
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


_TRICKY = ["", "ascii", "ログは1年間保存", "𠮷野家😀", "\U0010FFFF\uFFFF\u07FF\u0800\x7f\x80", "é", "長" * 70_000]


@pytest.mark.parametrize("values", [
    [],
    [""],
    ["", "", ""],
    ["ascii"] * 100,
    _TRICKY,
    _TRICKY * 30,
    ["a\x00b", "ログ", "\x00", ""] * 30,         # NUL inside a value: the per-character path
    ["😀" * 3, "", "𠮷"] * 50,
])
def test_string_array_equals_per_item_layout(values):
    """The joined-and-encoded-once string column is the very array that
    encoding each value (or pa.array) gives."""
    from pipeline.arrow_tables import _offsets, _string_array
    got = _string_array(values)
    got.validate(full=True)
    data = [v.encode("utf-8") for v in values]
    per_item = pa.Array.from_buffers(STR, len(values), [None, _offsets(map(len, data)),
                                                        pa.py_buffer(b"".join(data))], null_count=0)
    assert got.equals(per_item) and got.equals(pa.array(values, type=STR))
    assert got.to_pylist() == values


@pytest.mark.parametrize("values", [["a", None], [None], ["a", 1], [b"a"]])
def test_string_array_leaves_non_strings_to_pa_array(values):
    from pipeline.arrow_tables import _string_array
    assert _string_array(values) is None


def test_string_array_lone_surrogate_raises_like_encode():
    from pipeline.arrow_tables import _string_array
    with pytest.raises(UnicodeEncodeError):
        _string_array(["ok", "a\ud800"])


@given(st.lists(st.text(max_size=12), max_size=200))
def test_string_array_property(values):
    from pipeline.arrow_tables import _string_array
    assert _string_array(values).equals(pa.array(values, type=STR))


@pytest.mark.parametrize("values, expected", [
    ([1, 2], True), ([], True), ([1, True], False), ([True], False), ([1, 2.0], False), ([1, None], False),
])
def test_all_of_type(values, expected):
    from pipeline.arrow_tables import _all_of_type
    assert _all_of_type(values, int) is expected
