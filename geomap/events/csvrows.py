"""CSV rows with their line numbers, and no rows merged by a quote left open.

Python's ``csv`` module reads a field opened by a quote up to the next quote,
across lines: a quote left open swallows the rows after it into one field and
the file reads as fewer, merged documents. :func:`csv_rows` notices a field
spanning lines that holds lines reading as whole rows, reports that row as
skipped with its line, and reads the rows after it again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator


def csv_rows(text: str, path: str, skipped: list[tuple[str, str]], *, delimiter: str = ",",
             max_field: int = 50 * 1024 * 1024) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """The header of a CSV text and an iterator of ``(first line, row)``.

    Rows that cannot be read are appended to ``skipped`` as
    ``("path:line", reason)``: a row whose quote is never closed where it should
    be (the rows after it are read again), and the rest of a file after a
    ``csv.Error``.

    Raises
    ------
    ValueError
        No header, or a header that cannot be read.
    """
    csv.field_size_limit(max(csv.field_size_limit(), max_field))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = reader.fieldnames
    except csv.Error as e:
        raise ValueError(f"bad CSV header: {e}") from None
    if not header:
        raise ValueError("no CSV header")
    return list(header), _rows(text, path, reader, list(header), skipped, delimiter)


def _rows(text: str, path: str, reader: csv.DictReader, header: list[str], skipped: list[tuple[str, str]],
          delimiter: str) -> Iterator[tuple[int, dict]]:
    lines: list[str] | None = None
    end, offset = 1, 0  # physical line the last row ended on; lines before the reader's text
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            skipped.append((f"{path}:{offset + reader.line_num}", f"bad CSV from here on: {e}"))
            return
        first, end = end + 1, offset + reader.line_num
        if end > first and holds_rows(row, len(header), delimiter):
            skipped.append((f"{path}:{first}", f"unterminated quote: the field opened on line {first} runs to "
                                               f"line {end} over rows of its own; line {first} skipped, the "
                                               "rows after it read again"))
            lines = lines if lines is not None else io.StringIO(text, newline="").readlines()
            offset = end = first
            reader = csv.DictReader(io.StringIO("".join(lines[first:]), newline=""), fieldnames=header,
                                    delimiter=delimiter)
            continue
        yield first, row


def holds_rows(row: dict, n_fields: int, delimiter: str = ",") -> bool:
    """True when a field spanning lines holds a line that reads as a whole row of
    ``n_fields`` fields: the mark of a quote left open, not of a multi-line text."""
    if n_fields < 2:
        return False
    for value in row.values():
        if isinstance(value, str) and "\n" in value:
            for line in value.splitlines()[1:]:
                if line.count(delimiter) >= n_fields - 1 and \
                        len(next(csv.reader([line], delimiter=delimiter), [])) == n_fields:
                    return True
    return False
