"""The raw bytes of CSV lines, checked before the database reads them (both staged paths).

A staged path hands whole lines to the database (COPY on PostgreSQL, the csv module and one
INSERT on SQLite); these checks find, in the bytes, what the database would read otherwise
than the Python checker: NUL characters, quotes outside a well-formed quoted cell, and
whitespace at a cell's edge.
"""

from __future__ import annotations

import functools
import re

# What str.isspace() holds, less the line breaks that end rows (a test compares them): listed,
# as finding them among all 1.1 million characters took a tenth of a second per import.
CELL_WHITESPACE = (
    "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A well-formed quoted cell (RFC 4180) on one line: it starts after a separator or a line
# break, doubles its inner quotes and ends before a separator or a line end. Python's csv
# module and PostgreSQL's COPY ... CSV read it alike; any other quote makes them differ.
_QUOTED_CELL = re.compile(rb'(?<![^,\n])"(?:[^"\r\n]|"")*"(?=,|\r?\n|\Z)')


@functools.cache
def _edge_patterns() -> tuple[re.Pattern[bytes], list[bytes], re.Pattern[bytes]]:
    """How whitespace at a cell's edge looks in the raw bytes: a pattern for any text, the
    byte strings that suffice for ASCII, and a pattern for quoted cells (computed once, on
    the first import).

    The whitespace is what str.strip() removes from a cell, less the line breaks that end
    CSV rows. Without quotes, a cell starts or ends with whitespace exactly where
    whitespace touches a separator (data is searched with a line break before its start
    and after its end); a quoted cell, where it touches its quotes.
    """
    whitespace = [character.encode() for character in CELL_WHITESPACE]
    any_space = b"|".join(map(re.escape, whitespace))
    pattern = re.compile(b"[,\n](?:%(ws)s)|(?:%(ws)s)[,\r\n]" % {b"ws": any_space})
    quoted = re.compile(b'(?<![^,\n])"(?:%(ws)s)|(?:%(ws)s)"(?=,|\r?\n|\\Z)' % {b"ws": any_space})
    ascii_edges = [
        *(edge for space in whitespace if space.isascii() for edge in (b"," + space, space + b",")),
        *(space for space in whitespace if space.isascii() and space != b" "),
        b" \n",
        b"\n ",
        b" \r",
    ]
    return pattern, ascii_edges, quoted


def plain_cells(data: bytes) -> bytes | None:
    """Data (whole lines) with each quoted cell replaced by a plain one, for the checks of
    cell edges; None if it holds a NUL, a quote outside a well-formed quoted cell, or
    whitespace at the start or end of a cell."""
    if b"\x00" in data:
        return None  # refused: Python names its line and column (COPY would name its own line)
    pattern, ascii_edges, quoted = _edge_patterns()
    if b'"' in data:
        if quoted.search(data) is not None:
            return None
        data = _QUOTED_CELL.sub(b"q", data)
        if b'"' in data:
            return None  # PostgreSQL and Python would split such a line differently
    if data.isascii():
        return None if any(edge in data for edge in ascii_edges) else data
    return None if pattern.search(data) is not None else data
