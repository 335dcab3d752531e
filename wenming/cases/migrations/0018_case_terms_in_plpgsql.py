"""PostgreSQL only: the case text index's function (migration 0017) in PL/pgSQL, with the
same result for every text.

A SQL function whose body has a FROM clause is parsed and planned again in every statement
that calls it: 0.18 ms of PostgreSQL's CPU on each case INSERT, a tenth of a citizen
submission's share (bench/intake.py). A PL/pgSQL function plans its expressions once per
connection: 0.04 ms. Its results are those of 0017's function (tests/cases/test_search.py
compares them), so the index built with it stays valid and is not rebuilt."""

import importlib

from django.db import migrations

from wenming.core.migrationops import postgresql_only

TERMS_V2_SQL = importlib.import_module(
    "wenming.cases.migrations.0017_case_text_terms_by_fortnight"
).TERMS

# `s` as in 0017 (lower case, whitespace removed; '' for a missing text, as 0017's result
# then is). Each pair, as in 0017, at both starts: `pair` writes it alone and within the
# fortnight ('\1 \1#1484 '); then every character; then the fortnight token.
TERMS_V2_PLPGSQL = r"""
CREATE OR REPLACE FUNCTION wenming_case_terms_v2(title text, description text, address text, reported_at timestamptz)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 500 AS $$
DECLARE
  s text := COALESCE(pg_catalog.regexp_replace(pg_catalog.lower(
    title OPERATOR(pg_catalog.||) description OPERATOR(pg_catalog.||) address
  ), '\s+', '', 'g'), '');
  fortnight text := pg_catalog.floor(
    pg_catalog.date_part('epoch', reported_at) OPERATOR(pg_catalog./) 1209600
  )::pg_catalog.int4::pg_catalog.text;
  pair text := '\1 \1#' OPERATOR(pg_catalog.||) fortnight OPERATOR(pg_catalog.||) ' ';
BEGIN
  RETURN pg_catalog.array_to_tsvector(pg_catalog.array_remove(pg_catalog.string_to_array(
    pg_catalog.regexp_replace(s, '(..)', pair, 'g') OPERATOR(pg_catalog.||) ' '
    OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(pg_catalog.substr(s, 2), '(..)', pair, 'g')
    OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(s, '(.)', '\1 ', 'g')
    OPERATOR(pg_catalog.||) '#' OPERATOR(pg_catalog.||) fortnight,
  ' '), ''));
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0017_case_text_terms_by_fortnight")]

    operations = [postgresql_only(TERMS_V2_PLPGSQL, TERMS_V2_SQL)]
