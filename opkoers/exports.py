"""CSV files for spreadsheets (Excel in Dutch: semicolons, a byte-order mark for the accents)."""

import csv
import io
import re

from flask import Response

_NUMBER = re.compile(r"-?[0-9][0-9.,]*")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(cell) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading quote."""
    text = str(cell)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_response(filename: str, header: list, rows) -> Response:
    """A CSV download; free text can never run as a formula in the spreadsheet that opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_inert(c) for c in header])
    writer.writerows([_inert(c) for c in row] for row in rows)
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
