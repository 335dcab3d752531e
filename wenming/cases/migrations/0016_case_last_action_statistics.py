"""PostgreSQL only: tell the planner that a case's last action decides its state (a returned
case is registered, a signed one in progress …). Alone, each column's share multiplies the
other's: the dispatcher's "returned" queue (registered and last action return, 774 cases at
10M) was estimated at one row, and its page was read through nested loops over the region,
category and unit tables (bench/worklist.py: 57 ms p95; with the dependency, 25)."""

from django.db import migrations

from wenming.core.migrationops import postgresql_only

CREATE = """
CREATE STATISTICS IF NOT EXISTS case_last_action_state (dependencies)
  ON state, last_action FROM cases_case;
ANALYZE cases_case;
"""
DROP = "DROP STATISTICS IF EXISTS case_last_action_state;"


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_unit_reported_index")]

    operations = [postgresql_only(CREATE, DROP)]
