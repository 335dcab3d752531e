"""`wenming generate`: synthetic cases spread over regions, categories, states and two years."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from wenming.accountability.models import DailyRollup
from wenming.cases.models import Case, CaseEvent
from wenming.cases.services import case_stamp


def test_generate_adds_realistic_cases_after_the_existing_ones(transactional_db, city):
    before = Case.objects.count()
    call_command("generate", "--cases", "3000", verbosity=0)
    new = Case.objects.order_by("pk")[before:]
    assert Case.objects.count() == before + 3000
    states = dict(new.values_list("state").annotate(n=Count("id")).order_by())
    assert states["closed"] > 1500 and len(states) >= 6  # mostly closed, open ones in stages
    assert new.values("region").distinct().count() > 100
    assert new.values("category").distinct().count() > 20
    assert new.values("channel").distinct().count() == 7
    oldest = min(new.values_list("reported_at", flat=True))
    assert oldest < timezone.now() - timedelta(days=600)
    assert CaseEvent.objects.filter(case__in=new).count() > 5000  # about two per case
    assert Case.objects.values("code").distinct().count() == Case.objects.count()
    assert DailyRollup.objects.exists()  # the metrics see them
    assert not Case.objects.filter(code=case_stamp().code).exists()  # new codes keep counting


def test_generate_refuses_nonsense(db):
    with pytest.raises(CommandError):
        call_command("generate", "--cases", "0")
