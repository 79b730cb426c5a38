"""``kanrisaku report``: the HTML opened in real headless Chromium, the workbook read back with openpyxl.

The tables come from ingesting the sample texts of ``data/raw`` (plus an
empty and a binary file, which cannot be read), then re-ingesting after one
file gained a sentence, so every section of the report has rows.
"""
from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import dump_dom, page_requests, screenshot
from conftest import REPO, ingest, run_cli
from pipeline import load
from pipeline.report_xlsx import COMPARISON_SHEET, TABLE_SHEETS
from pipeline.schema import FACT_TABLES, TABLES

RAW_TEXT = REPO / "data" / "raw" / "text"
CHANGED = "001_152b7bf00013342c.txt"
ADDED = "\n\n【A.12.4.1】 イベントログ取得\n監査ログは7年間保存します。\n"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    out = tmp_path_factory.mktemp("out")
    for p in sorted(RAW_TEXT.glob("*.txt")):
        shutil.copyfile(p, src / p.name)
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 8)
    assert ingest(src, out, "--format", "text").returncode == 1          # two files cannot be read
    with open(src / CHANGED, "a", encoding="utf-8") as f:
        f.write(ADDED)
    assert ingest(src, out, "--format", "text").returncode == 1
    return out


@pytest.fixture(scope="module")
def tables(out):
    return load(out)


@pytest.fixture(scope="module")
def report_html(out, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    r = run_cli("report", out, "--html", path)
    assert r.returncode == 0, r.stderr
    return path


@pytest.fixture(scope="module")
def dom(report_html, tmp_path_factory) -> str:
    return html.unescape(dump_dom(report_html, tmp_path_factory.mktemp("chromium")))


def test_the_fixture_has_rows_in_every_section(tables):
    assert (tables.documents.status == "ok").sum() == 5
    assert set(tables.documents.status) == {"ok", "empty", "failed"}
    assert len(tables.controls) > 50
    assert list(tables.changes.fact) == ["logs retain 7 year (exact)"]


def test_every_title_and_control_id_is_in_the_rendered_page(tables, dom):
    titles = tables.documents.title.dropna()
    assert len(titles) == 5
    for title in titles:
        assert title in dom, title
    for cid in set(tables.controls.control_id):
        assert re.search(rf">{re.escape(cid)}<", dom), cid       # a column heading of the matrix
    for doc_id in tables.documents[tables.documents.status != "ok"].doc_id:
        assert doc_id in dom
    for fact in tables.changes.fact:
        assert fact in dom


def test_the_inline_script_ran_under_the_page_policy(dom):
    """The filter boxes' row counts are written by the script: it ran despite the CSP."""
    counts = re.findall(r'<span class="count">(\d+) / (\d+)</span>', dom)
    assert ("5", "5") in counts
    assert len(counts) == 4                 # matrix, facts, changes, failed files


def test_nothing_in_the_file_points_outside_it(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    refs = re.findall(r'(?:src|href|action|poster|data)\s*=\s*"([^"]*)"', text, re.I)
    refs += re.findall(r"url\(\s*['\"]?([^'\")]*)", text) + re.findall(r"@import\s+['\"]?([^'\";]+)", text)
    assert [r for r in refs if not (r.startswith("#") or r.startswith("data:"))] == []
    assert not re.search(r"<(link|iframe|object|embed)\b", text, re.I)


def test_no_request_leaves_the_file(report_html, tmp_path):
    assert page_requests(report_html, tmp_path / "report") == []
    # The same check sees a request when a page makes one.
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"></body></html>')
    assert page_requests(leaky, tmp_path / "leaky") == ["http://example.invalid/x.png"]


def test_the_screenshot_is_not_blank(report_html, tmp_path):
    from PIL import Image, ImageStat
    png = screenshot(report_html, tmp_path / "report.png", tmp_path)
    img = Image.open(png).convert("L")
    assert img.size == (1400, 1000)
    assert ImageStat.Stat(img).stddev[0] > 20
    dark = sum(img.histogram()[:100])                  # text and the ● marks
    assert dark > 0.005 * img.size[0] * img.size[1]


class _Titles(HTMLParser):
    """Tooltips of the values of the per-vendor table, by their shown text."""

    def __init__(self):
        super().__init__()
        self.tips: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span" and a.get("class") == "v":
            self.tips.append(a["title"])


def test_every_shown_fact_carries_its_sentence_and_section(tables, report_html):
    parser = _Titles()
    parser.feed(report_html.read_text(encoding="utf-8"))
    tips = "\n\n".join(parser.tips)
    sec = tables.sections
    shown = [tables.retention_periods, tables.log_timezones,
             tables.time_targets[tables.time_targets.kind.isin(
                 ["incident_notification", "recovery", "availability", "service_hours", "support_hours",
                  "maintenance_window"])]]
    n = 0
    for df in shown:
        for r in df.itertuples():
            s = sec[(sec.doc_id == r.doc_id) & (sec.char_start <= r.char_start)].sort_values("char_start").iloc[-1]
            number = s.number if isinstance(s.number, str) else ""
            name = s.heading if s.heading.startswith(number) else f"{number} {s.heading}"
            assert r.evidence + (f"\n{name}" if name else "") in tips, (r.evidence, name)
            n += 1
    assert n == len(parser.tips) and n > 20


_SORT_AND_FILTER = """<script>
(function () {
  function texts(sel) { return Array.from(document.querySelectorAll(sel)).map(function (e) { return e.textContent; }).join('|'); }
  var out = [];
  document.querySelector('#t-matrix th[data-col="1"]').click();
  out.push(texts('#t-matrix tbody td.num'));
  var th = document.querySelector('#t-facts th[data-col="0"]');
  th.click(); out.push(texts('#t-facts tbody tr .vt'));
  th.click(); out.push(texts('#t-facts tbody tr .vt'));
  var box = document.querySelector('input[data-filter="t-facts"]');
  box.value = %s; box.dispatchEvent(new Event('input'));
  out.push(document.querySelectorAll('#t-facts tbody tr:not([hidden])').length);
  var pre = document.createElement('pre'); pre.id = 'result'; pre.textContent = out.join('\\n');
  document.body.appendChild(pre);
})();
</script></body>"""


def test_tables_sort_and_filter_in_the_browser(tables, report_html, tmp_path):
    ok = tables.documents[tables.documents.status == "ok"]
    probe = ok.title.iloc[2][:12]
    page = tmp_path / "probe.html"
    page.write_text(report_html.read_text(encoding="utf-8").replace(
        "</body>", _SORT_AND_FILTER % repr(probe), 1), encoding="utf-8")
    result = re.search(r'<pre id="result">(.*?)</pre>', dump_dom(page, tmp_path), re.S).group(1)
    counts, ascending, descending, visible = html.unescape(result).split("\n")
    per_doc = tables.controls.groupby("doc_id", observed=True).control_id.nunique()
    assert [int(c) for c in counts.split("|")] == sorted(per_doc.reindex(ok.doc_id, fill_value=0))
    assert sorted(ascending.split("|")) == sorted(ok.title)
    assert descending.split("|") == ascending.split("|")[::-1] != ascending.split("|")
    assert int(visible) == sum(probe in t for t in ok.title) >= 1


def test_english_labels(out, tmp_path):
    path = tmp_path / "en.html"
    assert run_cli("report", out, "--html", path, "--lang", "en").returncode == 0
    text = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Vendors × controls" in text and "Files that could not be read" in text
    assert "ベンダー × 管理策" not in text
    assert "within 72 hours" in text                  # 72 時間以内 of seed 000


@pytest.mark.parametrize("args, message", [
    (("report", "{out}"), "nothing to write"),
    (("report", "{missing}", "--html", "{tmp}/r.html"), "does not exist"),
    (("report", "{out}", "--html", "{tmp}/no/such/dir/r.html"), "does not exist"),
])
def test_cli_refuses_what_it_cannot_do(out, tmp_path, args, message):
    r = run_cli(*[a.format(out=out, missing=tmp_path / "missing", tmp=tmp_path) for a in args])
    assert r.returncode == 2 and message in r.stderr


def test_workbook_reads_back_with_types_and_row_counts(out, tables, tmp_path):
    import openpyxl
    path = tmp_path / "report.xlsx"
    assert run_cli("report", out, "--xlsx", path).returncode == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [COMPARISON_SHEET, *TABLE_SHEETS]
    assert set(FACT_TABLES) <= set(wb.sheetnames) and "issues" in wb.sheetnames
    for name in TABLE_SHEETS:
        ws = wb[name]
        assert ws.max_row - 1 == len(tables[name]), name
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, name
        heads = [c.value for c in ws[1]]
        assert heads[:3] == [c.name for c in TABLES[name]][:3]
    comp = wb[COMPARISON_SHEET]
    assert comp.max_row - 1 == (tables.documents.status == "ok").sum()
    heads = " ".join(str(c.value) for c in comp[1])
    assert all(cid in heads for cid in set(tables.controls.control_id))
    tt = wb["time_targets"]
    col = {c.value: i for i, c in enumerate(tt[1])}
    values = [row[col["value"]] for row in tt.iter_rows(min_row=2, values_only=True)]
    assert [v for v in values if v is not None] == [v for v in tables.time_targets.value.dropna()]
    assert all(isinstance(v, (int, float)) for v in values if v is not None)
    assert all(isinstance(row[col["is_goal"]], bool) for row in tt.iter_rows(min_row=2, values_only=True))
    docs = wb["documents"]
    dcol = {c.value: i for i, c in enumerate(docs[1])}
    rows = list(docs.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[dcol["ingested_at"]], dt.datetime) for r in rows)
    published = [r[dcol["published"]] for r in rows if r[dcol["published"]] is not None]
    assert published and all(isinstance(p, dt.datetime) for p in published)
    assert sorted(p.date() for p in published) == sorted(tables.documents.published.dropna())


@pytest.mark.parametrize("lang, value, unit, bound, expected", [
    ("ja", 72.0, "hour", "max", "72時間以内"),
    ("en", 72.0, "hour", "max", "within 72 hours"),
    ("en", 1.0, "year", "min", "at least 1 year"),
    ("en", 99.9, "percent", "min", "at least 99.9%"),
    ("ja", 10.0, "business_day", "approx", "約10営業日"),
    ("ja", None, None, "indefinite", "無期限"),
    ("en", None, None, "unspecified", "no period stated"),
])
def test_amounts_in_words(lang, value, unit, bound, expected):
    from pipeline.report_labels import labels
    from pipeline.report_model import _amount
    assert _amount(labels(lang), value, unit, bound) == expected


def test_both_languages_have_every_label():
    from pipeline.report_labels import labels
    ja, en = labels("ja"), labels("en")
    assert set(ja) == set(en) and all(ja.values()) and all(en.values())
    assert set(ja.clauses) == set(en.clauses) == {str(n) for n in range(5, 19)}
    with pytest.raises(ValueError):
        labels("fr")
