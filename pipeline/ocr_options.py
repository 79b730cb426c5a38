"""The OCR options of a run (apart from :mod:`pipeline.ocr`, whose patterns
take longer to compile than an unchanged re-run may spend importing)."""
from __future__ import annotations

from collections import namedtuple


class OcrOptions(namedtuple("OcrOptions", "mode dpi", defaults=("auto", 300))):
    """mode "auto": OCR pages without a text layer, "off": never; dpi: the
    resolution pages are rendered at. (Immutable and comparable, as a frozen
    dataclass would be, without importing dataclasses.)"""
    __slots__ = ()

    def key(self) -> list:
        """What the per-document cache key needs to know."""
        return [self.mode, self.dpi if self.mode != "off" else None]
