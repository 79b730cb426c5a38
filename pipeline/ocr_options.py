"""The OCR options of a run (apart from :mod:`pipeline.ocr`, whose patterns
take longer to compile than an unchanged re-run may spend importing)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrOptions:
    mode: str = "auto"      # "auto": OCR pages without a text layer; "off": never
    dpi: int = 300

    def key(self) -> list:
        """What the per-document cache key needs to know."""
        return [self.mode, self.dpi if self.mode != "off" else None]
