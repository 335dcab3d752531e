"""PostgreSQL only: the case text index also holds every single character, so a one-character
term (井, 树, 灯) is an index look-up like a longer one (textsearch.py). Rebuilds the index:
about a minute per million cases; writes to cases wait meanwhile."""

from django.db import migrations

from wenming.core.migrationops import postgresql_only

# As in 0011 (every object named with its schema), plus `characters`: one lexeme per character.
TERMS = r"""
CREATE OR REPLACE FUNCTION wenming_case_terms(title text, description text, address text, reported_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 500 AS $$
  SELECT pg_catalog.array_to_tsvector(
           pg_catalog.array_remove(pg_catalog.string_to_array(
             pg_catalog.regexp_replace(s, '(..)|(.)', '\1\2 ', 'g') OPERATOR(pg_catalog.||)
             pg_catalog.regexp_replace(pg_catalog.substr(s, 2), '(..)|(.)', '\1\2 ', 'g')
             %(characters)s,
           ' '), '')
           OPERATOR(pg_catalog.||) ARRAY['#' OPERATOR(pg_catalog.||) pg_catalog.floor(
             pg_catalog.date_part('epoch', reported_at) OPERATOR(pg_catalog./) 1209600
           )::pg_catalog.int4::pg_catalog.text])
  FROM (SELECT pg_catalog.regexp_replace(pg_catalog.lower(
          title OPERATOR(pg_catalog.||) description OPERATOR(pg_catalog.||) address
        ), '\s+', '', 'g') AS s) AS squeezed
$$;

REINDEX INDEX case_text_terms;
"""
CHARACTERS = r"OPERATOR(pg_catalog.||) pg_catalog.regexp_replace(s, '(.)', '\1 ', 'g')"


class Migration(migrations.Migration):
    dependencies = [("cases", "0012_region_index_includes_state")]

    operations = [
        postgresql_only(TERMS % {"characters": CHARACTERS}, TERMS % {"characters": ""}),
    ]
