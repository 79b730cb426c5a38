"""kanrisaku: Japanese ISO/IEC 27017 whitepapers to typed Parquet tables."""
import os as _os

__version__ = "0.1.0"

# Arrow's default allocator (mimalloc) reserves about 1 GB of address space
# the first time some writers run (closing an IPC file does): a worker under
# the address-space limit (--memory-limit-mb) then has no room left for the
# parsers, and a worker forked later inherits the reservation. The system
# allocator reserves nothing. Read by pyarrow when it first needs its pool,
# so set before pyarrow is imported (a value set by the user wins).
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")


def load(path="data/out", tables=None):
    """Load the published tables of an output folder (see :mod:`pipeline.load`).

    Imported lazily, so the pipeline itself does not pay for it.
    """
    from .load import load as _load
    return _load(path, tables)
