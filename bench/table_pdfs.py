"""Ruled tables: do the rows come out right with pypdfium2 alone
(``pipeline.read_pdf``), and would pdfplumber's table finder be worth it?

    .venv/bin/python bench/table_pdfs.py [--corpus ../shared/corpus] [--save DIR]

Builds three ruled-table PDFs of the kind whitepapers carry (statements of
applicability, answered METI checklists), each with the rows it must give:

* ``multiline``: cells wrapping over two to five lines, in two columns at once;
* ``merged``: a category cell spanning three rows, and an exclusion spanning
  two columns;
* ``pagebreak``: one table of 26 wrapped rows running over two pages.

A row is right when one row of the output has exactly its non-empty cells,
in order (white space ignored: a wrapped line may be joined with or without
a space). ``read_pdf`` rows are its tab-separated lines; pdfplumber's are
``page.extract_tables()`` rows. Time is CPU time (best of 3), on the three
PDFs and on the corpus PDFs' pages that draw a ruled grid (where a
pdfplumber pass would have to run). pdfplumber is no dependency of
kanrisaku (README, "PDF tables"): ``pip install pdfplumber==0.11.10`` for
its columns; without it only pypdfium2's are printed.
"""
from __future__ import annotations

import argparse
import io
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from cid_pdf import cid_font_pdf  # noqa: E402
from pipeline.read_pdf import read_pdf  # noqa: E402

SIZE, LEAD, PAD = 9.0, 12.0, 4.0
PAGE_W, PAGE_H, TOP, BOTTOM, LEFT = 595.0, 842.0, 780.0, 60.0, 60.0


def _em(c: str) -> float:
    return 0.25 if c == " " else (0.5 if ord(c) < 0x7F else 1.0)


def wrap(text: str, width: float) -> list[str]:
    """Lines of *text* that fit *width* points at SIZE (full-width 1 em, ASCII 1/2)."""
    lines, cur, w = [], "", 0.0
    for c in text:
        if cur and (w + _em(c)) * SIZE > width:
            lines.append(cur)
            cur, w = "", 0.0
        cur += c
        w += _em(c)
    return lines + [cur] if cur else lines


def _hex(text: str) -> str:
    return "".join(f"{ord(c):04X}" for c in text)


def table_pages(widths: list[float], rows: list[list[tuple[str, int, int]]], header: list[str]) -> list[str]:
    """Content streams drawing a ruled table: rows of (text, colspan, rowspan)
    cells (a cell covered by a span above is ("", 0, 0)); a page ends before
    a row that would cross its bottom margin; the header is drawn once."""
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    pages, ops, y = [], [], TOP
    all_rows = [[(h, 1, 1) for h in header]] + rows
    heights = [max((len(wrap(t, sum(widths[k:k + span]) - 2 * PAD)) for k, (t, span, _) in enumerate(r) if span),
                   default=1) * LEAD + 2 * PAD for r in all_rows]
    for i, row in enumerate(all_rows):
        h = heights[i]
        if y - h < BOTTOM:
            pages.append("\n".join(ops))
            ops, y = [], TOP
        ops.append(f"0.6 w {xs[0]} {y} m {xs[-1]} {y} l S")          # the row's top rule
        for k, (text, span, rowspan) in enumerate(row):
            if not span:
                continue
            cell_h = sum(heights[i:i + rowspan])
            ops.append(f"0.6 w {xs[k]} {y} m {xs[k]} {y - cell_h} l S")
            for n, line in enumerate(wrap(text, sum(widths[k:k + span]) - 2 * PAD)):
                base = y - PAD - 0.88 * SIZE - n * LEAD
                ops.append(f"BT /F1 {SIZE} Tf 1 0 0 1 {xs[k] + PAD} {base:.2f} Tm <{_hex(line)}> Tj ET")
        ops.append(f"0.6 w {xs[-1]} {y} m {xs[-1]} {y - h} l S")
        y -= h
        for k in range(len(widths)):      # the bottom rule, open under a cell that spans further down
            if not (i + 1 < len(all_rows) and k in [j for j, c in enumerate(all_rows[i + 1]) if c == ("", 0, 0)]):
                ops.append(f"0.6 w {xs[k]} {y} m {xs[k + 1]} {y} l S")
    pages.append("\n".join(ops))
    return pages


def make_pdf(streams: list[str]) -> bytes:
    """A PDF of the given content streams, with a non-embedded Japanese CID font."""
    return cid_font_pdf(streams, (PAGE_W, PAGE_H))


CONTROLS = [
    ("A.5.1.1", "情報セキュリティのための方針群", "情報セキュリティ基本方針を策定し、経営陣の承認を得たうえで全従業員及び関係する外部関係者に周知しています。"),
    ("A.9.2.3", "特権的アクセス権の管理", "特権IDは申請と承認に基づき最小限の担当者にのみ付与し、四半期ごとに棚卸しを実施しています。利用状況はログで監視しています。"),
    ("A.12.3.1", "情報のバックアップ", "お客様データは日次でバックアップを取得し、過去35日分を別リージョンに保管しています。復旧手順は年1回試験しています。"),
    ("A.12.4.1", "イベントログ取得", "アクセスログ及び操作ログを取得し、1年間保存しています。ログの時刻はNTPで同期したUTCです。"),
    ("A.16.1.2", "情報セキュリティ事象の報告", "重大なインシデントを認知した場合、72時間以内に管理画面及び電子メールでお客様に通知します。"),
    ("CLD.8.1.5", "クラウドサービスカスタマの資産の除去", "契約終了後30日以内にお客様データを削除し、削除証明書を発行します。バックアップからは90日以内に消去されます。"),
    ("CLD.12.4.5", "クラウドサービスの監視", "お客様は管理コンソールからサービスの稼働状況と自身のリソースの利用状況を確認できます。"),
]


def build() -> dict[str, tuple[bytes, list[tuple[str, ...]]]]:
    header = ["管理策番号", "管理策", "実施状況"]
    widths = [70.0, 130.0, 270.0]
    multi = [[(a, 1, 1), (b, 1, 1), (c, 1, 1)] for a, b, c in CONTROLS]
    multi_rows = [tuple(header)] + [(a, b, c) for a, b, c in CONTROLS]
    merged = [
        [("A.12 運用のセキュリティ", 1, 3), ("A.12.3.1 情報のバックアップ", 1, 1), (CONTROLS[2][2], 1, 1)],
        [("", 0, 0), ("A.12.4.1 イベントログ取得", 1, 1), (CONTROLS[3][2], 1, 1)],
        [("", 0, 0), ("A.12.6.2 ソフトウェアのインストールの制限", 1, 1),
         ("利用者が本サービス上にソフトウェアをインストールすることはできません。", 1, 1)],
        [("A.14 開発", 1, 1), ("適用除外:当社は本サービスの開発を外部に委託しておらず、委託先の管理は対象外です。", 2, 1),
         ("", 0, 0)],
    ]
    merged_rows = [tuple(header), ("A.12 運用のセキュリティ", "A.12.3.1 情報のバックアップ", CONTROLS[2][2]),
                   ("A.12.4.1 イベントログ取得", CONTROLS[3][2]),
                   ("A.12.6.2 ソフトウェアのインストールの制限",
                    "利用者が本サービス上にソフトウェアをインストールすることはできません。"),
                   ("A.14 開発", "適用除外:当社は本サービスの開発を外部に委託しておらず、委託先の管理は対象外です。")]
    long = [(f"{a}-{i}", b, c + f"(確認{i}回目)") for i in range(4) for a, b, c in CONTROLS][:26]
    pages = table_pages(widths, [[(a, 1, 1), (b, 1, 1), (c, 1, 1)] for a, b, c in long], header)
    assert len(pages) == 2, len(pages)
    return {
        "multiline": (make_pdf(table_pages(widths, multi, header)), multi_rows),
        "merged": (make_pdf(table_pages([110.0, 150.0, 210.0], merged, header)), merged_rows),
        "pagebreak": (make_pdf(pages), [tuple(header)] + long),
    }


_WS = re.compile(r"\s+")


def _norm(cells) -> tuple[str, ...]:
    return tuple(_WS.sub("", c) for c in cells if c and _WS.sub("", c))


def rows_of(data: bytes) -> set[tuple[str, ...]]:
    return {_norm(line.split("\t")) for page in read_pdf(data).pages for line in page.split("\n")}


def rows_plumber(data: bytes, pages: list[int] | None = None) -> set[tuple[str, ...]]:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return {_norm(r) for i, page in enumerate(pdf.pages) if pages is None or i in pages
                for t in page.extract_tables() for r in t}


def grid_pages(data: bytes) -> list[int]:
    """Pages drawing at least three horizontal and three vertical rules."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c
    doc = pdfium.PdfDocument(data)
    out = []
    for i in range(len(doc)):
        h = v = 0
        for obj in doc[i].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            w, ht = right - left, top - bottom
            h += ht <= 2 and w >= 20 or (w >= 20 and ht >= 10)
            v += w <= 2 and ht >= 20 or (w >= 20 and ht >= 10)
        if h >= 3 and v >= 3:
            out.append(i)
    doc.close()
    return out


def cpu(fn, *args) -> float:
    best = None
    for _ in range(3):
        t = time.process_time()
        fn(*args)
        best = min(best, time.process_time() - t) if best is not None else time.process_time() - t
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--save", type=Path, help="also write the three PDFs into this folder")
    a = ap.parse_args()
    docs = build()
    try:
        import pdfplumber  # noqa: F401  (imported once, as a worker would: not part of the per-page cost)
        plumber = True
    except ImportError:
        plumber = False
    print(f"{'table PDF':10s} {'rows':>5s} {'read_pdf right':>15s} {'pdfplumber right':>17s} "
          f"{'read_pdf ms':>12s} {'pdfplumber ms':>14s}")
    for name, (data, want) in docs.items():
        if a.save:
            a.save.mkdir(parents=True, exist_ok=True)
            (a.save / f"{name}.pdf").write_bytes(data)
        want_n = [_norm(r) for r in want]
        got = rows_of(data)
        line = f"{name:10s} {len(want):5d} {sum(r in got for r in want_n):15d} "
        if plumber:
            got_l = rows_plumber(data)
            line += f"{sum(r in got_l for r in want_n):17d} {1000 * cpu(read_pdf, data):12.1f} " \
                    f"{1000 * cpu(rows_plumber, data):14.1f}"
        else:
            line += f"{'-':>17s} {1000 * cpu(read_pdf, data):12.1f} {'-':>14s}"
        print(line)
    pdfs = [p.read_bytes() for p in sorted((a.corpus / "pdf").glob("*.pdf")) if "scanned" not in p.name]
    if pdfs:
        t_read = sum(cpu(read_pdf, d) for d in pdfs)
        grids = [grid_pages(d) for d in pdfs]
        pages = sum(read_pdf(d).n_pages for d in pdfs)
        print(f"corpus PDFs: {pages} pages, {sum(map(len, grids))} draw a ruled grid; read_pdf {t_read:.2f} s CPU")
        if plumber:
            t_plumb = sum(cpu(rows_plumber, d, g) for d, g in zip(pdfs, grids) if g)
            print(f"  pdfplumber's table finder on the grid pages: {t_plumb:.2f} s more "
                  f"(+{t_plumb / t_read:.0%} of reading the PDFs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
