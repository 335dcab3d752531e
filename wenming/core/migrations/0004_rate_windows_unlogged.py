"""Rate-limit counts on PostgreSQL: an unlogged table, without the key's LIKE index.

The counts are worth a minute and are kept in memory on Redis: after a crash they may start
again from zero. Unlogged, their rows write no WAL and a statement that only counts commits
without waiting for the disk (two of a submission's three commits were waits on the WAL;
bench/intake.py). The key is only ever matched whole, so the pattern index Django adds to a
text primary key is never used."""

from django.db import migrations

from wenming.core.migrationops import postgresql_only

UNLOGGED = """
ALTER TABLE core_ratewindow SET UNLOGGED;
DROP INDEX IF EXISTS core_ratewindow_key_284fcb9e_like;
"""
LOGGED = """
ALTER TABLE core_ratewindow SET LOGGED;
CREATE INDEX IF NOT EXISTS core_ratewindow_key_284fcb9e_like ON core_ratewindow (key varchar_pattern_ops);
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0003_rate_windows")]

    operations = [postgresql_only(UNLOGGED, LOGGED)]
