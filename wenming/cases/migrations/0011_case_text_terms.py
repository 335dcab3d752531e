"""PostgreSQL only: a GIN index of each case's text as character pairs, for the console's text
search (wenming/cases/textsearch.py explains it). SQLite keeps the plain LIKE search."""

from django.db import migrations

from wenming.core.migrationops import postgresql_only

# Every object in the function is named with its schema (pg_catalog): an index expression
# must mean the same when pg_restore runs it with an empty search path. Not inlinable (FROM)
# and costly, so the planner does not run it per row where the index can answer.
FUNCTIONS = r"""
CREATE FUNCTION wenming_case_terms(title text, description text, address text, reported_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
  SELECT pg_catalog.array_to_tsvector(
           pg_catalog.array_remove(pg_catalog.string_to_array(
             pg_catalog.regexp_replace(s, '(..)|(.)', '\1\2 ', 'g') OPERATOR(pg_catalog.||)
             pg_catalog.regexp_replace(pg_catalog.substr(s, 2), '(..)|(.)', '\1\2 ', 'g'),
           ' '), '')
           OPERATOR(pg_catalog.||) ARRAY['#' OPERATOR(pg_catalog.||) pg_catalog.floor(
             pg_catalog.date_part('epoch', reported_at) OPERATOR(pg_catalog./) 1209600
           )::pg_catalog.int4::pg_catalog.text])
  FROM (SELECT pg_catalog.regexp_replace(pg_catalog.lower(
          title OPERATOR(pg_catalog.||) description OPERATOR(pg_catalog.||) address
        ), '\s+', '', 'g') AS s) AS squeezed
$$;

CREATE INDEX case_text_terms ON cases_case
  USING gin (wenming_case_terms(title, description, address, reported_at));
"""

DROP = """
DROP INDEX IF EXISTS case_text_terms;
DROP FUNCTION IF EXISTS wenming_case_terms(text, text, text, timestamptz);
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_case_place_cell")]

    operations = [postgresql_only(FUNCTIONS, DROP)]
