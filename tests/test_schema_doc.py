"""docs/schema.md is generated from pipeline/schema.py and must not drift from it."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from conftest import REPO

from pipeline import schema

DOC = REPO / "docs" / "schema.md"
GEN = REPO / "tools" / "gen_schema_doc.py"


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_schema_doc", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_schema_doc_is_up_to_date(gen):
    assert DOC.read_text(encoding="utf-8") == gen.render(), \
        "docs/schema.md is stale: run `python tools/gen_schema_doc.py` and commit the result"


def test_every_table_column_and_vocabulary_is_documented():
    text = DOC.read_text(encoding="utf-8")
    sections = text.split("\n## ")
    by_table = {s.split("\n", 1)[0].strip(): s for s in sections[1:]}
    assert set(schema.TABLES) <= set(by_table)
    for name, cols in schema.TABLES.items():
        body = by_table[name]
        for col in cols:
            row = next((line for line in body.splitlines() if line.startswith(f"| `{col.name}` |")), None)
            assert row is not None, f"{name}.{col.name} missing from docs/schema.md"
            assert ("| no |" in row) == (not col.nullable), f"{name}.{col.name}: nullability"
            assert col.doc.replace("|", "\\|") in row
            for value in col.vocab or ():
                assert f"`{value}`" in row, f"{name}.{col.name}: value {value!r} not documented"
    assert f"Schema version **{schema.SCHEMA_VERSION}**" in text


def test_doc_dtypes_are_the_loaders(gen):
    """The pandas column of the doc says what pipeline.load really produces."""
    import pandas as pd

    from pipeline.arrow_tables import arrow_schema
    from pipeline.load import pandas_dtypes, to_pandas
    for name, cols in schema.TABLES.items():
        df = to_pandas(name, arrow_schema(name).empty_table())
        dtypes = pandas_dtypes(name)
        for col in cols:
            documented = gen.pandas_type_name(col)
            actual = df[col.name].dtype
            if documented == "category":
                assert isinstance(actual, pd.CategoricalDtype)
                assert dtypes[col.name] == actual
            elif documented.startswith("object"):
                assert actual == object
            elif documented == "string":
                assert isinstance(actual, pd.StringDtype)
            else:
                assert str(actual) == documented, (name, col.name, actual, documented)


def test_check_flags_drift(gen, tmp_path, monkeypatch):
    # the real file passes
    res = subprocess.run([sys.executable, str(GEN), "--check"], cwd=tmp_path, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    # a hand edit is stale
    stale = tmp_path / "schema.md"
    stale.write_text(DOC.read_text(encoding="utf-8").replace("| yes |", "| no |", 1), encoding="utf-8")
    res = subprocess.run([sys.executable, str(GEN), "--check", "--out", str(stale)], capture_output=True, text=True)
    assert res.returncode == 1 and "stale" in res.stderr
    # so is a schema change the doc does not know about: a new column ...
    fresh = tmp_path / "fresh.md"
    assert gen.main(["--out", str(fresh)]) == 0
    assert gen.main(["--check", "--out", str(fresh)]) == 0
    new_col = schema.Column("vendor_tier", schema.STR, "made-up column", True, ("gold", "silver"))
    monkeypatch.setitem(gen.TABLES, "documents", (*schema.TABLES["documents"], new_col))
    assert gen.main(["--check", "--out", str(fresh)]) == 1
    monkeypatch.undo()
    # ... or a vocabulary value added to an existing column
    subject = next(c for c in schema.TABLES["retention_periods"] if c.name == "subject")
    cols = tuple(c._replace(vocab=(*c.vocab, "metadata")) if c is subject else c
                 for c in schema.TABLES["retention_periods"])
    monkeypatch.setitem(gen.TABLES, "retention_periods", cols)
    assert gen.main(["--check", "--out", str(fresh)]) == 1
    monkeypatch.undo()
    assert gen.main(["--check", "--out", str(fresh)]) == 0
    # a missing file is stale too
    assert gen.main(["--check", "--out", str(tmp_path / "nope.md")]) == 1
