"""kanrisaku: Japanese ISO/IEC 27017 whitepapers to typed Parquet tables."""
__version__ = "0.1.0"


def load(path="data/out", tables=None):
    """Load the published tables of an output folder (see :mod:`pipeline.load`).

    Imported lazily, so the pipeline itself does not pay for it.
    """
    from .load import load as _load
    return _load(path, tables)
