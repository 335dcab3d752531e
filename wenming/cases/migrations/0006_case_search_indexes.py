"""Indexes for the console's case search (bench/worklist.py, 1,000,000 cases).

- Text: PostgreSQL has no index for `LIKE '%垃圾%'` on Chinese text (pg_trgm needs 3
  characters, pg_bigm is not packaged), so a GIN index over the set of 2-character substrings
  ("bigrams") of the searched text. `wenming_bigrams` upper-cases like Django's `icontains`
  does (UPPER(col) LIKE UPPER(term)), so a row that matches the LIKE always holds every bigram
  of the term: the index can only narrow, never lose a match. cases.selectors._text uses it.
- Phone, last four digits: (tail, reported_at) replaces the index on the tail alone, so the
  newest matches come straight from the index.
"""

from django.db import migrations, models

BIGRAMS = """
-- Every 2-character substring, upper-cased (duplicates kept: GIN stores each key once per
-- row, and removing them here costs a sort per row, nearly half of the build time).
CREATE OR REPLACE FUNCTION wenming_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
-- ~100 µs a call (1,000 operator costs): the planner then prefers walking the newest cases
-- to evaluating it on 100,000 rows of a lossy bitmap.
COST 1000
AS $$
  SELECT ARRAY(SELECT substr(u, i, 2) FROM upper(t) AS u, generate_series(1, char_length(u) - 1) AS i)
$$;
-- A GIN build sorts its keys in this memory: 64 MB (the default) takes several times longer
-- at 1,000,000 cases. LOCAL: only for this migration's transaction.
SET LOCAL maintenance_work_mem = '256MB';
-- The expression must stay the same as cases.selectors.HasBigramsOf builds.
CREATE INDEX case_text_bigrams ON cases_case
  USING gin (wenming_bigrams(title || ' ' || description || ' ' || address));
-- Statistics of the indexed expression (how common each bigram is) come only from ANALYZE;
-- without them the planner guesses the selectivity of every text search.
ANALYZE cases_case;
"""

BIGRAMS_DROP = """
DROP INDEX IF EXISTS case_text_bigrams;
DROP FUNCTION IF EXISTS wenming_bigrams(text);
"""


def on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_reporter_phone_encrypted")]

    operations = [
        migrations.RunPython(on_postgresql(BIGRAMS), on_postgresql(BIGRAMS_DROP)),
        migrations.AlterField(
            model_name="case",
            name="reporter_phone_tail",
            field=models.CharField(blank=True, max_length=4),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["reporter_phone_tail", "reported_at"], name="case_phone_tail_reported"
            ),
        ),
    ]
