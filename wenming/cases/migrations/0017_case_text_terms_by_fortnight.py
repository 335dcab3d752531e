"""PostgreSQL only: the case text index also holds each pair of characters within the
fortnight its case was reported in (垃圾#1484), so a search of a window reads only the
window's entries of each pair (textsearch.py). The new index (case_text_terms_v2, on the
function wenming_case_terms_v2) is built beside the old one without locking writes
(CREATE INDEX CONCURRENTLY: about 2.5 minutes per million cases), then the old one is
dropped. Not in a transaction, as CONCURRENTLY requires: one statement per operation."""

from django.db import migrations

from wenming.core.migrationops import postgresql_only

# As in 0013 (every object named with its schema): `units` are the pairs and characters,
# `fortnight` the report's fortnight; a pair within its fortnight is `pair#fortnight`.
TERMS = r"""
CREATE OR REPLACE FUNCTION wenming_case_terms_v2(title text, description text, address text, reported_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
  SELECT pg_catalog.array_to_tsvector(
           units OPERATOR(pg_catalog.||) ARRAY['#' OPERATOR(pg_catalog.||) fortnight]
           OPERATOR(pg_catalog.||) ARRAY(
             SELECT unit OPERATOR(pg_catalog.||) '#' OPERATOR(pg_catalog.||) fortnight
             FROM pg_catalog.unnest(units) AS unit WHERE pg_catalog.length(unit) = 2))
  FROM (SELECT pg_catalog.array_remove(pg_catalog.string_to_array(
                 pg_catalog.regexp_replace(s, '(..)|(.)', '\1\2 ', 'g') OPERATOR(pg_catalog.||)
                 pg_catalog.regexp_replace(pg_catalog.substr(s, 2), '(..)|(.)', '\1\2 ', 'g')
                 OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(s, '(.)', '\1 ', 'g'),
               ' '), '') AS units,
               pg_catalog.floor(
                 pg_catalog.date_part('epoch', reported_at) OPERATOR(pg_catalog./) 1209600
               )::pg_catalog.int4::pg_catalog.text AS fortnight
        FROM (SELECT pg_catalog.regexp_replace(pg_catalog.lower(
                title OPERATOR(pg_catalog.||) description OPERATOR(pg_catalog.||) address
              ), '\s+', '', 'g') AS s) AS squeezed) AS parts
$$;
"""

# 0013's function (for going back): pairs, characters and the fortnight alone.
BEFORE = r"""
CREATE OR REPLACE FUNCTION wenming_case_terms(title text, description text, address text, reported_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
  SELECT pg_catalog.array_to_tsvector(
           pg_catalog.array_remove(pg_catalog.string_to_array(
             pg_catalog.regexp_replace(s, '(..)|(.)', '\1\2 ', 'g') OPERATOR(pg_catalog.||)
             pg_catalog.regexp_replace(pg_catalog.substr(s, 2), '(..)|(.)', '\1\2 ', 'g')
             OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(s, '(.)', '\1 ', 'g'),
           ' '), '')
           OPERATOR(pg_catalog.||) ARRAY['#' OPERATOR(pg_catalog.||) pg_catalog.floor(
             pg_catalog.date_part('epoch', reported_at) OPERATOR(pg_catalog./) 1209600
           )::pg_catalog.int4::pg_catalog.text])
  FROM (SELECT pg_catalog.regexp_replace(pg_catalog.lower(
          title OPERATOR(pg_catalog.||) description OPERATOR(pg_catalog.||) address
        ), '\s+', '', 'g') AS s) AS squeezed
$$;
"""
COLUMNS = "title, description, address, reported_at"
SIGNATURE = "(text, text, text, timestamptz)"


def index_on(function: str, index: str) -> str:
    return f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {index} ON cases_case USING gin ({function}({COLUMNS}))"


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("cases", "0016_case_last_action_statistics")]

    operations = [
        postgresql_only(TERMS, f"DROP FUNCTION IF EXISTS wenming_case_terms_v2{SIGNATURE}"),
        postgresql_only(
            index_on("wenming_case_terms_v2", "case_text_terms_v2"),
            "DROP INDEX CONCURRENTLY IF EXISTS case_text_terms_v2",
        ),
        postgresql_only(
            "DROP INDEX CONCURRENTLY IF EXISTS case_text_terms",
            index_on("wenming_case_terms", "case_text_terms"),
        ),
        postgresql_only(f"DROP FUNCTION IF EXISTS wenming_case_terms{SIGNATURE}", BEFORE),
    ]
