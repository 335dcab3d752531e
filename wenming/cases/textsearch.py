"""Text search of cases on PostgreSQL: an index of characters and character pairs.

Staff search case text with short Chinese terms (垃圾, 占道经营), which no word index and no
trigram index can serve: `LIKE '%垃圾%'` reads every row of the window (≈150 ms for 30 days
of a million cases, bench/worklist.py). The GIN index `case_text_terms_v2` (migrations 0011,
0017) holds, per case, every character and every pair of adjacent characters of its title,
description and address (lower case, whitespace removed; migrations 0011, 0013), a token
for the fortnight it was reported in, and each pair again within that fortnight (垃圾#1484,
migration 0017; the same terms from a PL/pgSQL function since 0018). A term of two or more
characters is in a text only if all its pairs are, so the index finds a superset of the
matches; the LIKE that follows keeps the real ones. A one-character term is looked up as
itself (LIKE over 30 days of a million cases: ≈50 ms; every pair starting with it: 1.8 s).
Within a search's window the index reads only the window's entries of each pair:
intersecting a pair's whole history with the fortnights grew with the table (乱停放 over
30 days of 10M cases: 900,000 entries read, 30 ms).

SQLite (the demo) has no such index and searches with LIKE alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

FORTNIGHT_SECONDS = 14 * 24 * 3600  # as in the index function
MAX_FORTNIGHTS = 8  # a longer window does not narrow the index scan: pairs only
COMMON_SHARE = 0.5  # a pair in this share of cases or more is not looked up (_narrowing)
TERMS_FUNCTION, TERMS_INDEX = "wenming_case_terms_v2", "case_text_terms_v2"  # migration 0017


def _squeezed(text: str) -> str:
    """The term as the index function sees text: lower case, whitespace removed (by the
    database's own functions, so both sides agree on every character)."""
    with connection.cursor() as cursor:
        cursor.execute(r"SELECT regexp_replace(lower(%s), '\s+', '', 'g')", [text])
        return cursor.fetchone()[0]


def _lexeme(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def fortnights(start: datetime, end: datetime) -> list[int]:
    """The fortnight numbers (since the epoch) from `start` to `end`, both included."""
    first = int(start.timestamp()) // FORTNIGHT_SECONDS
    last = int(end.timestamp()) // FORTNIGHT_SECONDS
    return list(range(first, last + 1))


def terms_query(text: str, start: datetime | None, end: datetime | None) -> str | None:
    """The tsquery (as text) the index answers for `text` reported between `start` and
    `end`; None when the term is only whitespace. Within a window of up to MAX_FORTNIGHTS,
    each pair is asked for within the window's fortnights (`pair#fortnight`), a character
    together with them; otherwise the pairs over all time."""
    term = _squeezed(text)
    if not term:
        return None
    pairs = list(dict.fromkeys(term[i : i + 2] for i in range(max(len(term) - 1, 1))))
    narrowing = _narrowing(pairs)
    numbers = fortnights(start, end) if start is not None and end is not None else []
    if not 0 < len(numbers) <= MAX_FORTNIGHTS:  # no window, a long one, or reversed dates
        return " & ".join(_lexeme(pair) for pair in narrowing)
    if len(term) == 1:
        return f"{_lexeme(term)} & {_any(f'#{n}' for n in numbers)}"
    return " & ".join(_any(f"{pair}#{n}" for n in numbers) for pair in narrowing)


def _any(lexemes: Iterable[str]) -> str:
    return "(" + " | ".join(_lexeme(lexeme) for lexeme in lexemes) + ")"


def _narrowing(pairs: list[str]) -> list[str]:
    """The pairs worth asking the index for: without those in COMMON_SHARE of the cases or
    more, unless all are (then the rarest). Such a pair rules out few cases and has the
    longest list in the index (附近 in 95 % of the generated addresses: 22号附近 over 30 days
    of 10M cases, 70 ms for the index's part, 42 without it); the LIKE still checks the
    whole term. Shares from PostgreSQL's statistics of the index (ANALYZE)."""
    if len(pairs) == 1:  # a character or a single pair: nothing to leave out, no look-up
        return pairs
    shares = _pair_shares(pairs)
    narrowing = [pair for pair in pairs if shares.get(pair, 0.0) < COMMON_SHARE]
    return narrowing or [min(pairs, key=lambda pair: shares[pair])]


def _pair_shares(pairs: list[str]) -> dict[str, float]:
    """The share of cases whose index entry holds each pair, for the pairs among the index's
    most common elements (the others are rarer than all of those)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT element, share FROM pg_stats, "
            "unnest(most_common_elems::text::text[], most_common_elem_freqs) AS s(element, share) "
            "WHERE tablename = %s AND element = ANY(%s)",
            [TERMS_INDEX, pairs],
        )
        return dict(cursor.fetchall())


def text_terms_match(text: str, start: datetime | None, end: datetime | None) -> Q | None:
    """A condition the index answers, true for every case whose text contains `text` and
    that was reported in the window (and for some others); None on SQLite."""
    if connection.vendor != "postgresql":
        return None
    query = terms_query(text, start, end)
    if query is None:
        return None
    table = '"cases_case"'
    sql = (
        f"{TERMS_FUNCTION}({table}.title, {table}.description, {table}.address, "
        f"{table}.reported_at) @@ %s::tsquery"
    )
    return Q(RawSQL(sql, [query], output_field=BooleanField()))  # noqa: S611 (a parameter)
