"""What the segmenter returns: headings, the sections they open, the layout."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Heading:
    start: int
    end: int
    text: str
    number: str | None
    title: str
    control_ids: list[str] = field(default_factory=list)
    id_source: str | None = None          # heading_bracket | heading_number | None
    corrected: list[tuple[str, str]] = field(default_factory=list)   # (cited, used)
    unknown: list[str] = field(default_factory=list)
    cited: tuple | None = None            # (prefix, a, b, c) of a number-style heading
    also: list[tuple] = field(default_factory=list)   # further cited ids (A.9.2.1 / A.9.2.2 ...)
    recogniser: str = ""                  # the name of the recogniser that found it
    style: str = ""                       # a cited number's kind (a, cld, bare) or a mark
    list_item: bool = False               # one of a run of numbered lines with no text between
    opens_sequence: bool = False          # its first sub-number follows (5. 運用 / 5.1 ...)


@dataclass
class Section:
    index: int
    heading: Heading | None
    start: int
    body_start: int
    end: int
    fact_control_id: str | None = None

    @property
    def control_ids(self) -> list[str]:
        return self.heading.control_ids if self.heading else []


@dataclass
class Layout:
    """What the segmenter learnt about the document besides its sections."""
    sections: list[Section]
    toc_lines: set[int]
    revision_lines: set[int]
    lines: list[tuple[int, int, str]]     # (start, end, text) of every line


_NUMBER_SEP = re.compile(r"[.\-]")


def num_tuple(number: str | None) -> tuple[int, ...] | None:
    if not number:
        return None
    try:
        return tuple(int(x) for x in _NUMBER_SEP.split(number.strip(".")))
    except ValueError:
        return None


def build_sections(text: str, headings: list[Heading]) -> list[Section]:
    sections: list[Section] = []
    if not headings or text[:headings[0].start].strip():
        first = headings[0].start if headings else len(text)
        sections.append(Section(0, None, 0, 0, first))
    for k, h in enumerate(headings):
        end = headings[k + 1].start if k + 1 < len(headings) else len(text)
        sections.append(Section(len(sections), h, h.start, min(h.end + 1, end), end))
    # Facts under an unnumbered-control subsection inherit the enclosing control.
    open_ctrl: tuple[tuple[int, ...] | None, str] | None = None
    for sec in sections:
        h = sec.heading
        if h is None:
            continue
        num = num_tuple(h.number)
        if h.control_ids:
            sec.fact_control_id = h.control_ids[0]
            open_ctrl = (num if h.id_source == "heading_bracket" else None, h.control_ids[0])
        elif open_ctrl and open_ctrl[0] and num and len(num) > len(open_ctrl[0]) and num[:len(open_ctrl[0])] == open_ctrl[0]:
            sec.fact_control_id = open_ctrl[1]
        else:
            open_ctrl = None
    return sections
