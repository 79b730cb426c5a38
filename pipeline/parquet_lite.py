"""A tiny Parquet writer using only the standard library, for small flat tables.

Why: an unchanged re-run of ``kanrisaku ingest`` only has to rewrite the small
``runs`` table, and importing pyarrow (with numpy) would cost more than the
whole run may take. This module imports in 1-2 ms (bytecode cached).

What it writes (a deliberately small subset of Parquet, which pyarrow, duckdb
and polars read):

* a format version 1 file: ``PAR1``, row groups, footer, footer length, ``PAR1``;
* a flat schema of columns of seven kinds (see ``KINDS``), REQUIRED or OPTIONAL;
* one row group (none for 0 rows), one uncompressed DATA_PAGE (v1) per column,
  PLAIN encoding; for OPTIONAL columns the definition levels come first,
  RLE/bit-packed hybrid (bit width 1) with their 4-byte length prefix;
* the footer FileMetaData in the Thrift compact protocol, with the caller's
  key_value_metadata (e.g. pyarrow's ``ARROW:schema``) in the given order;
* no statistics, dictionaries, compression, nesting or page indexes.

Field ids in the comments are those of parquet.thrift (apache/parquet-format).
"""
import struct

__all__ = ["KINDS", "pack_bits", "parquet_bytes", "write_parquet"]

# --- Thrift compact protocol: only what the footer and page headers need ------

# compact-protocol type codes
BOOL_TRUE, BOOL_FALSE, I32, I64, BINARY, LIST, STRUCT = 1, 2, 5, 6, 8, 9, 12


def _varint(n):
    """Unsigned LEB128: 7 bits a byte, low bits first, high bit = more follows."""
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _int(n):
    """An i16/i32/i64: zigzag (0, -1, 1, -2 ... -> 0, 1, 2, 3 ...) then varint."""
    return _varint(2 * n if n >= 0 else -2 * n - 1)


def _bin(s):
    """A string or binary: varint length, then the bytes (str as UTF-8)."""
    b = s.encode("utf-8") if isinstance(s, str) else bytes(s)
    return _varint(len(b)) + b


def _list(etype, items):
    """A list of already encoded items: size and element type in one byte if size < 15."""
    items = list(items)
    n = len(items)
    head = bytes([n << 4 | etype]) if n < 15 else bytes([0xF0 | etype]) + _varint(n)
    return head + b"".join(items)


def _struct(*fields):
    """A struct (or union) from (field id, type, value) in increasing id order.

    A value of None leaves the field out. I32/I64 take an int, BINARY a str or
    bytes, BOOL_TRUE a bool (carried in the header's type nibble), LIST and
    STRUCT their encoded bytes. Each field header holds the id as a delta from
    the previous one (1..15) with the type; otherwise the type, then the id.
    """
    out, last = bytearray(), 0
    for fid, ctype, value in fields:
        if value is None:
            continue
        if ctype == BOOL_TRUE:
            ctype, value = (BOOL_TRUE if value else BOOL_FALSE), b""
        elif ctype in (I32, I64):
            value = _int(value)
        elif ctype == BINARY:
            value = _bin(value)
        delta = fid - last
        out += bytes([delta << 4 | ctype]) if 0 < delta <= 15 else bytes([ctype]) + _int(fid)
        out += value
        last = fid
    out.append(0)  # stop
    return bytes(out)


# --- parquet.thrift constants -------------------------------------------------

# Type: BOOLEAN=0 INT32=1 INT64=2 DOUBLE=5 BYTE_ARRAY=6
# ConvertedType: UTF8=0 DATE=6 TIMESTAMP_MICROS=10
# LogicalType union: 1 STRING (StringType{}), 6 DATE (DateType{}),
#   8 TIMESTAMP (TimestampType{1: isAdjustedToUTC, 2: unit: TimeUnit union {2: MICROS{}}})
_STRING = _struct((1, STRUCT, _struct()))
_DATE = _struct((6, STRUCT, _struct()))
_TIMESTAMP_UTC_MICROS = _struct((8, STRUCT, _struct(
    (1, BOOL_TRUE, True), (2, STRUCT, _struct((2, STRUCT, _struct()))))))
REQUIRED, OPTIONAL = 0, 1          # FieldRepetitionType
PLAIN, RLE = 0, 3                  # Encoding
UNCOMPRESSED, DATA_PAGE = 0, 0     # CompressionCodec, PageType

# kind -> (physical type, converted type, logical type, struct format of one PLAIN value)
KINDS = {
    "string": (6, 0, _STRING, None),
    "int32": (1, None, None, "i"),
    "int64": (2, None, None, "q"),
    "float64": (5, None, None, "d"),
    "bool": (0, None, None, None),
    "timestamp_us_utc": (2, 10, _TIMESTAMP_UTC_MICROS, "q"),
    "date32": (1, 6, _DATE, "i"),
}


# --- pages ------------------------------------------------------------------

def pack_bits(flags):
    """Pack truthy/falsy flags one bit each, least significant bit first (the
    layout of Parquet's bit-packed runs and booleans, and of Arrow's bitmaps)."""
    out = bytearray((len(flags) + 7) // 8)
    for i, flag in enumerate(flags):
        if flag:
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)


def _plain(name, kind, vals):
    """The PLAIN encoding of the non-null values of one column."""
    fmt = KINDS[kind][3]
    try:
        if fmt:  # fixed width little-endian; struct rejects ints out of range
            return struct.pack(f"<{len(vals)}{fmt}", *vals)
        if kind == "bool":
            if any(v is not True and v is not False for v in vals):
                raise TypeError("bool column takes only True/False")
            return pack_bits(vals)
        # BYTE_ARRAY: 4-byte little-endian length, then the UTF-8 bytes
        parts = []
        for v in vals:
            if not isinstance(v, str):
                raise TypeError(f"string column takes only str, not {type(v).__name__}")
            b = v.encode("utf-8")
            parts += (struct.pack("<I", len(b)), b)
        return b"".join(parts)
    except (struct.error, TypeError) as exc:
        raise ValueError(f"column {name!r} ({kind}): {exc}") from None


def _page(name, kind, nullable, column):
    """One uncompressed DATA_PAGE (v1): header, definition levels if OPTIONAL, values."""
    num_values = len(column)  # nulls included
    if nullable:
        # RLE/bit-packed hybrid as one bit-packed run: header (groups of 8 << 1 | 1), bits
        run = _varint((num_values + 7) // 8 << 1 | 1) + pack_bits([v is not None for v in column])
        levels = struct.pack("<I", len(run)) + run
        column = [v for v in column if v is not None]
    elif any(v is None for v in column):
        raise ValueError(f"column {name!r} is required but holds None")
    else:
        levels = b""
    data = levels + _plain(name, kind, column)
    header = _struct(                                 # PageHeader
        (1, I32, DATA_PAGE),                          # type
        (2, I32, len(data)),                          # uncompressed_page_size
        (3, I32, len(data)),                          # compressed_page_size
        (5, STRUCT, _struct(                          # data_page_header: DataPageHeader
            (1, I32, num_values),                     # num_values
            (2, I32, PLAIN),                          # encoding
            (3, I32, RLE),                            # definition_level_encoding
            (4, I32, RLE))))                          # repetition_level_encoding
    return header + data


# --- the file -----------------------------------------------------------------

def parquet_bytes(columns, values, key_value_metadata=None, created_by="kanrisaku parquet_lite"):
    """The bytes of a Parquet file holding ``values`` (dict name -> list) under ``columns``.

    ``columns`` is a sequence of ``(name, kind, nullable)`` with ``kind`` a key
    of ``KINDS``; ``timestamp_us_utc`` values are int microseconds since the
    epoch (UTC), ``date32`` values int days since the epoch. Raises ValueError
    on an unknown kind, a None in a required column, unequal or missing
    columns, a value out of its type's range or of the wrong type.
    """
    columns = [(name, kind, bool(nullable)) for name, kind, nullable in columns]
    names = [name for name, _, _ in columns]
    if len(set(names)) != len(names) or set(names) != set(values):
        raise ValueError(f"columns {names} and values {list(values)} do not name the same columns")
    for name, kind, _ in columns:
        if kind not in KINDS:
            raise ValueError(f"column {name!r}: unknown kind {kind!r}")
    lengths = {len(values[name]) for name in names}
    if len(lengths) > 1:
        raise ValueError(f"columns of unequal lengths {sorted(lengths)}")
    num_rows = lengths.pop() if lengths else 0

    # One row group of one page per column; none at all for 0 rows (pyarrow,
    # duckdb and polars read that as an empty table with the schema).
    out, chunks = bytearray(b"PAR1"), []
    for name, kind, nullable in columns if num_rows else ():
        page = _page(name, kind, nullable, values[name])
        chunks.append(_struct(                        # ColumnChunk
            (2, I64, 0),                              # file_offset: deprecated, 0 as the spec asks
            (3, STRUCT, _struct(                      # meta_data: ColumnMetaData
                (1, I32, KINDS[kind][0]),             # type
                (2, LIST, _list(I32, [_int(PLAIN), _int(RLE)])),  # encodings
                (3, LIST, _list(BINARY, [_bin(name)])),  # path_in_schema
                (4, I32, UNCOMPRESSED),               # codec
                (5, I64, num_rows),                   # num_values
                (6, I64, len(page)),                  # total_uncompressed_size (header included)
                (7, I64, len(page)),                  # total_compressed_size
                (9, I64, len(out))))))                # data_page_offset
        out += page
    size = len(out) - 4
    row_groups = [_struct(                            # RowGroup
        (1, LIST, _list(STRUCT, chunks)),             # columns
        (2, I64, size),                               # total_byte_size
        (3, I64, num_rows),                           # num_rows
        (5, I64, 4),                                  # file_offset (its first page)
        (6, I64, size))] if num_rows else []          # total_compressed_size

    schema = [_struct((4, BINARY, "schema"), (5, I32, len(columns)))]  # root: name, num_children
    for name, kind, nullable in columns:
        ptype, converted, logical, _ = KINDS[kind]
        schema.append(_struct(                        # SchemaElement
            (1, I32, ptype),                          # type
            (3, I32, OPTIONAL if nullable else REQUIRED),  # repetition_type
            (4, BINARY, name),                        # name
            (6, I32, converted),                      # converted_type
            (10, STRUCT, logical)))                   # logicalType
    kv = None
    if key_value_metadata:
        kv = _list(STRUCT, [_struct((1, BINARY, k), (2, BINARY, v))  # KeyValue: key, value
                            for k, v in key_value_metadata.items()])
    footer = _struct(                                 # FileMetaData
        (1, I32, 1),                                  # version
        (2, LIST, _list(STRUCT, schema)),             # schema (depth-first, root first)
        (3, I64, num_rows),                           # num_rows
        (4, LIST, _list(STRUCT, row_groups)),         # row_groups
        (5, LIST, kv),                                # key_value_metadata
        (6, BINARY, created_by))                      # created_by
    out += footer + struct.pack("<I", len(footer)) + b"PAR1"
    return bytes(out)


def write_parquet(path, columns, values, key_value_metadata=None):
    """Write ``parquet_bytes(columns, values, key_value_metadata)`` to ``path``.

    A plain write: the caller takes care of atomicity (temp file, rename).
    """
    data = parquet_bytes(columns, values, key_value_metadata)
    with open(path, "wb") as f:
        f.write(data)
