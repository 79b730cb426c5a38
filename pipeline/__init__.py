"""kanrisaku: Japanese ISO/IEC 27017 whitepapers to typed Parquet tables."""
__version__ = "0.1.0"
