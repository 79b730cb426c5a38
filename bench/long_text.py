"""Scaling of the per-document pipeline with sentence length: a sentence
packed with N durations should cost time roughly linear in N.

    python bench/long_text.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.process import analyse_text  # noqa: E402


def main() -> int:
    analyse_text("障害は72時間以内に通知します。")       # models loaded once
    prev = None
    print(f"{'durations':>10s} {'chars':>8s} {'seconds':>8s} {'x time / x size':>16s}")
    for n in (100, 300, 1000, 3000):
        text = "72時間以内" * n
        t = time.perf_counter()
        analyse_text(text)
        dt = time.perf_counter() - t
        ratio = "" if prev is None else f"{(dt / prev[1]) / (n / prev[0]):.2f}"
        print(f"{n:10d} {len(text):8d} {dt:8.3f} {ratio:>16s}")
        prev = (n, dt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
