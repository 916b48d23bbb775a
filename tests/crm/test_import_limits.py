"""Limits on what an uploaded file may make the server do: unpacked size, rows and columns.

A real zip bomb is built here (about 2 MB that declares 2 GB of worksheet) and must be refused from
the zip's directory in well under a second, before openpyxl reads anything; the refusal says why,
in Dutch, on the import screen, in the levy import and from the command line alike (all of them
read through crm.importing.read_table).
"""

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.utils import translation

from crm import importing
from crm.importing import ImportFileError, read_table
from tests.crm.test_import import HEADER, csv_bytes, shop, xlsx_bytes

GIB = 1 << 30


def _gf2_times(matrix, vector):
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix):
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from those of A and B (so 2 GB need not be hashed)."""
    odd = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def zip_bomb(size: int = 2 * GIB) -> bytes:
    """An .xlsx-shaped zip whose worksheet is a valid deflate stream of `size` zero bytes.

    Each megabyte of zeros is compressed once and ended with a full flush, so the same ~1 KB block
    can be repeated: the file is about 2 MB, honest in its sizes and CRC, and unpacks to `size`.
    """
    megabyte = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // len(megabyte)
    stream = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = zlib.crc32(megabyte)
    length = len(megabyte)
    while length < size:
        crc, length = crc32_combine(crc, crc, length), length * 2

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml"), stream)  # stored, patched below
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    local = data.index(name) - 30
    central = data.rindex(name) - 46
    for offset, method_at, crc_at in ((local, 8, 14), (central, 10, 16)):
        struct.pack_into("<H", data, offset + method_at, zipfile.ZIP_DEFLATED)
        struct.pack_into("<III", data, offset + crc_at, crc, len(stream), size)
    return bytes(data)


def test_a_zip_bomb_is_refused_from_its_directory_at_once():
    bomb = zip_bomb()
    assert len(bomb) < 3 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # it is what it claims to be
        assert sum(entry.file_size for entry in archive.infolist()) > 2 * GIB - 1
        with archive.open("xl/worksheets/sheet1.xml") as sheet:
            assert sheet.read(1 << 20) == bytes(1 << 20)

    started = time.monotonic()
    with translation.override("nl"), pytest.raises(ImportFileError) as refused:
        read_table(bomb, "ledenlijst.xlsx")
    assert time.monotonic() - started < 1
    assert "pakt uit tot meer dan 100 MB" in str(refused.value)


def test_too_many_rows_or_columns_are_refused_with_the_reason(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    rows = [shop(n) for n in range(51)]
    with translation.override("nl"):
        workbook = xlsx_bytes([HEADER, *[list(row.values()) for row in rows]])
        for data, name in ((csv_bytes(rows), "lijst.csv"), (workbook, "lijst.xlsx")):
            with pytest.raises(ImportFileError, match="meer dan 50 rijen"):
                read_table(data, name)
        assert len(read_table(csv_bytes(rows[:50]), "lijst.csv").rows) == 50

        header = ";".join(f"kolom {n}" for n in range(importing.MAX_COLUMNS + 1))
        wide = header.encode() + b"\r\nBakkerij;1\r\n"
        with pytest.raises(ImportFileError, match=f"meer dan {importing.MAX_COLUMNS} kolommen"):
            read_table(wide, "breed.csv")
