"""The control catalogue shipped with the package (``pipeline/data/controls.csv``,
built from ``shared/reference`` by ``tools/build_catalog.py``).

ISO/IEC 27001:2013 Annex A controls (which ISO/IEC 27017 numbers the same way)
and the seven ISO/IEC 27017 CLD controls, with Japanese titles, the 2022
counterparts and the plain wordings whitepapers use as headings (aliases).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .normalize import normalize_text

FRAMEWORK_A = "ISO/IEC 27001:2013 Annex A"
FRAMEWORK_CLD = "ISO/IEC 27017:2015 CLD"

_ID_RE = re.compile(r"^(A|CLD)\.(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")


@dataclass(frozen=True)
class Control:
    control_id: str
    framework: str
    title_ja: str
    title_en: str
    control_2022: str | None
    aliases: tuple[str, ...]

    @property
    def number(self) -> str:
        return self.control_id.split(".", 1)[1]


# Spelling variants that JIS titles and whitepapers use for the same word.
_VARIANTS = (
    (re.compile(r"および|並びに|ならびに"), "及び"),
    (re.compile(r"または"), "又は"),
    (re.compile(r"脆弱"), "ぜい弱"),
    (re.compile(r"取り外し|取外し"), "取外"),
    (re.compile(r"カスタマー"), "カスタマ"),
    (re.compile(r"サーバー"), "サーバ"),
    (re.compile(r"ユーザー"), "ユーザ"),
)
_DROP = re.compile(r"[\s、，,・/()（）「」『』【】\[\]:：.。ー-]")


@lru_cache(maxsize=16384)
def title_key(text: str) -> str:
    """A comparable form of a title: normalised, spelling variants unified,
    punctuation, spaces and long-vowel marks dropped."""
    s = normalize_text(text)
    for pat, rep in _VARIANTS:
        s = pat.sub(rep, s)
    return _DROP.sub("", s)


@lru_cache(maxsize=16384)
def _bigrams(s: str) -> frozenset[str]:
    """The character bigrams of a title key (kept: the catalogue's names are
    compared with every heading that cites their control)."""
    return frozenset({s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set()))


def title_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the two titles' keys; 1.0 when
    one contains the other entirely and is at least three characters long."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb or (min(len(ka), len(kb)) >= 3 and (ka in kb or kb in ka)):
        return 1.0
    ba, bb = _bigrams(ka), _bigrams(kb)
    return 2 * len(ba & bb) / (len(ba) + len(bb))


class Catalog:
    def __init__(self, controls: list[Control]):
        self.by_id = {c.control_id: c for c in controls}

    def __contains__(self, control_id: str) -> bool:
        return control_id in self.by_id

    def __getitem__(self, control_id: str) -> Control:
        return self.by_id[control_id]

    def __iter__(self):
        return iter(self.by_id.values())

    def title_matches(self, control_id: str, title: str, threshold: float = 0.45) -> bool:
        c = self.by_id.get(control_id)
        if c is None:
            return False
        names = (c.title_ja, *c.aliases)
        return max(title_similarity(title, n) for n in names) >= threshold


def canonical_id(prefix: str | None, a: str, b: str, c: str) -> str:
    return f"{'CLD' if prefix and prefix.upper() == 'CLD' else 'A'}.{int(a)}.{int(b)}.{int(c)}"


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    text = resources.files("pipeline").joinpath("data/controls.csv").read_text(encoding="utf-8")
    controls = []
    for row in csv.DictReader(text.splitlines()):
        cid = row["control_id"].strip()
        if not _ID_RE.match(cid):
            continue
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        controls.append(Control(
            control_id=cid,
            framework=FRAMEWORK_CLD if cid.startswith("CLD") else FRAMEWORK_A,
            title_ja=normalize_text(row.get("title_ja") or ""),
            title_en=row.get("title_en") or "",
            control_2022=(row.get("control_2022") or None),
            aliases=tuple(normalize_text(a) for a in aliases),
        ))
    return Catalog(controls)
