"""The versions of the packages whose output kanrisaku's rows depend on
(part of the cache key), found without importing them or the NLP code."""
from __future__ import annotations

import os
import re
import sys

_MODEL_PACKAGES = ("sudachipy", "sudachidict-core", "ginza", "ja-ginza", "spacy", "pypdfium2")


def model_versions() -> dict[str, str]:
    """Versions that change the output: part of the cache key. Read from the
    names of the ``*.dist-info`` folders on ``sys.path`` (one listing per
    folder; importlib.metadata takes ~10 ms a package, a sixth of an
    unchanged re-run), importlib.metadata only for a package not found so."""
    out = dict.fromkeys(_MODEL_PACKAGES)
    wanted = {_canonical(p): p for p in _MODEL_PACKAGES}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, ver = name[:-len(".dist-info")].rpartition("-")
                pkg = wanted.get(_canonical(dist))
                if pkg and out[pkg] is None:
                    out[pkg] = ver
    for pkg, ver in out.items():
        if ver is None:
            out[pkg] = _metadata_version(pkg)
    return out


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_version(pkg: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(pkg)
    except PackageNotFoundError:
        return "-"
