"""Reading a reader's own file (a CSV of scores, a saved record): one clean refusal for every
way it can be wrong, never a traceback."""

from __future__ import annotations

from pathlib import Path

from tradeoffs._errors import InvalidParameterError

MAX_BYTES = 200_000_000
"""Far above any validation set or record a person saves; a larger file is a mistake."""


def read_text(name: str, raw: object, kind: str = "CSV file") -> tuple[Path, str]:
    """The file's path and its text, decoded as UTF-8 with or without a byte-order mark
    (a CSV saved by Excel has one); other encodings and binary files are refused."""
    path = Path(str(raw))
    try:
        found = bool(str(raw).strip()) and "\0" not in str(raw) and path.is_file()
        size = path.stat().st_size if found else 0
    except (OSError, ValueError):
        found, size = False, 0
    if not found:
        raise InvalidParameterError(f"{name} must be a readable {kind}; got {str(raw)!r}.")
    if size > MAX_BYTES:
        raise InvalidParameterError(
            f"{name} must be a {kind} of at most {MAX_BYTES:,} bytes; {str(path)!r} has {size:,}."
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidParameterError(
            f"{name} must be a readable {kind}; {str(path)!r} gives: {exc.strerror or exc}."
        ) from None
    if b"\0" in data:
        raise InvalidParameterError(
            f"{name} must be a UTF-8 text {kind}; {str(path)!r} holds binary data."
        )
    try:
        return path, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidParameterError(
            f"{name} must be a UTF-8 {kind} (with or without a byte-order mark); "
            f"{str(path)!r} has a byte that is not UTF-8 at offset {exc.start}."
        ) from None


def read_table(name: str, raw: object) -> tuple[list[str], list[dict[str, str | None]]]:
    """A CSV file's column names and its rows as dictionaries (:func:`read_text` first; a
    malformed file is one clean refusal)."""
    import csv
    import io

    path, text = read_text(name, raw)
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows: list[dict[str, str | None]] = list(reader)
        return list(reader.fieldnames or []), rows
    except csv.Error as exc:
        raise InvalidParameterError(
            f"{name} must be a readable CSV file; {str(path)!r} gives: {exc}."
        ) from None
