"""Cut a normalised document into sections at its headings.

Heading styles are recognisers (``recognisers.RECOGNISERS``), tried in order
on every line; each has an example and its own acceptance rule, judged once
the whole document has been seen. Among them (after NFKC, so full-width
forms are covered):

* bracketed control ids, before or after the title, optionally naming the
  standard or a label: ``5.3. バックアップ【A.12.3.1】``, ``【A.6.1.1,
  CLD.6.3.1】 責任範囲``, ``5.1 情報セキュリティのための方針群 ([ISO/IEC
  27001:2013] A.5.1.1, A.5.1.2)``, ``ログの取得 管理策: A.12.4.1``;
* a heading that starts with a control number: ``A.12.3.1 情報のバックアップ``,
  ``CLD.8.1.5 ...``, or a bare ``12.3.1 情報のバックアップ`` -- bare numbers
  only in a document whose numbering is the catalogue's (its titles agree
  with the catalogue's), so a manual's own ``7.1.1. 機能概要`` is no A.7.1.1;
* table rows (tabs or pipes) with an id cell and a title cell, and
  statement-of-applicability rows (``A.5.1.1 情報セキュリティのための方針群
  <requirement> ○ <reason>``);
* the document's own numbered headings (``2.1 用語の定義``, ``1運用体制``),
  unnumbered headings set off by a repeated mark (``◆ バックアップ``), and
  the unnumbered headings a table of contents lists.

Not headings: table-of-contents entries, the rows of a revision-history
table, bullets and list items (numbered lines with nothing between them),
and numbers quoted inside body text.
"""
from __future__ import annotations

from ..catalog import Catalog, title_key
from .ids import Resolver
from .lines import logical_lines, revision_lines, split_lines, strip_number, toc_entry, toc_lines
from .model import Heading, Layout, Section, build_sections
from .recognisers import RECOGNISERS, STOP, Evidence, Line, Walk, mark_sequences

__all__ = ["segment", "split_lines", "Heading", "Section", "Layout", "RECOGNISERS"]


def _toc_titles(lines, toc: set[int]) -> set[str]:
    out: set[str] = set()
    for k in toc:
        m = toc_entry(lines[k][2].strip())
        if m:
            full = m.group("title").strip()
            out.add(title_key(full))
            out.add(title_key(strip_number(full)[1]))
    out.discard("")
    return out


def candidates(text: str, lines, skip: set[int], resolver: Resolver) -> list:
    """(heading, recogniser) for every line some recogniser matches."""
    out = []
    for idx, s, e, t in logical_lines(lines, skip):
        line = Line(idx, s, e, t, lines)
        for rec in RECOGNISERS:
            h = rec.match(line, resolver)
            if h is STOP:
                break
            if h is not None:
                h.recogniser = rec.name
                out.append((h, rec))
                break
    mark_sequences(out, text)
    return out


def segment(text: str, catalog: Catalog) -> Layout:
    lines = split_lines(text)
    toc = toc_lines(lines)
    revision = revision_lines(lines, toc)
    resolver = Resolver(catalog)
    cands = candidates(text, lines, toc | revision, resolver)
    evidence = Evidence.of(cands, text, _toc_titles(lines, toc), resolver)
    walk = Walk()
    accepted = [h for h, rec in cands if rec.accept(h, evidence, walk)]
    return Layout(build_sections(text, accepted), toc, revision, lines)
