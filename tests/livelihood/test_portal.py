"""The public progress page shows only reviewed data; comments and ratings are moderated."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from wenming.core.errors import IllegalTransition, InvalidInput, PermissionDenied
from wenming.livelihood import services
from wenming.livelihood.models import LivelihoodProject, ProjectComment
from wenming.portal.models import MessageStatus, SensitiveWord

from .conftest import LAST_YEAR, approved, jpeg, make_project


def report(project, user, text, amounts, photos=()):  # type: ignore[no-untyped-def]
    targets = list(project.targets.all())
    return services.report_submit(
        project=project,
        actor=user,
        month=date(LAST_YEAR, 4, 1),
        text=text,
        quantities={t.pk: Decimal(a) for t, a in zip(targets, amounts, strict=False)},
        photos=photos,
    )


def page(client, project) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("livelihood_portal:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_page_shows_only_approved_progress(client, cast, project):
    pending = report(project, cast.handler, "四月整治了二十个楼院", [20, 0], [("after", jpeg())])
    body = page(client, project)
    assert "四月整治了二十个楼院" not in body and "0.0%" in body
    assert "/media/livelihood/reports/" not in body
    listing = client.get(reverse("livelihood_portal:list"), {"year": LAST_YEAR}).content.decode()
    assert "楼院环境整治" in listing and "25.0%" not in listing
    services.report_approve(report_id=pending.pk, actor=cast.admin)
    body = page(client, project)
    assert "四月整治了二十个楼院" in body and "25.0%" in body and "20 / 40" in body
    assert "/media/livelihood/reports/" in body  # the after photo


def test_a_project_hidden_from_the_portal_is_not_found(client, project):
    project.is_public = False
    project.save()
    assert client.get(reverse("livelihood_portal:detail", args=[project.pk])).status_code == 404
    listing = client.get(reverse("livelihood_portal:list"), {"year": LAST_YEAR}).content.decode()
    assert "楼院环境整治" not in listing


def test_comments_appear_only_after_moderation(client, cast, project):
    url = reverse("livelihood_portal:detail", args=[project.pk])
    response = client.post(
        url, {"token": "t1", "body": "楼道干净多了，点赞", "author_name": "老李"}
    )
    assert response.status_code == 302
    comment = ProjectComment.objects.get()
    assert comment.status == MessageStatus.PENDING
    assert "楼道干净多了" not in page(client, project)
    client.post(url, {"token": "t1", "body": "楼道干净多了，点赞"})  # resubmitted form
    assert ProjectComment.objects.count() == 1
    client.force_login(cast.operator)
    moderate = reverse("livelihood:comment_moderate", args=[comment.pk])
    assert client.post(moderate, {"decision": "approve"}).status_code == 302
    client.logout()
    body = page(client, project)
    assert "楼道干净多了" in body and "老*" in body and "老李" not in body  # the name masked


def test_sensitive_words_hold_a_comment_and_refusal_needs_a_reason(cast, project):
    SensitiveWord.objects.create(word="骗子")
    comment, created = services.comment_submit(project=project, token="t2", body="都是骗子")
    assert created and comment.status == MessageStatus.HELD and comment.flagged_words == "骗子"
    with pytest.raises(InvalidInput):
        services.comment_moderate(comment_id=comment.pk, actor=cast.admin, approve=False)
    with pytest.raises(PermissionDenied):
        services.comment_moderate(comment_id=comment.pk, actor=cast.handler, approve=True)
    services.comment_moderate(comment_id=comment.pk, actor=cast.admin, approve=False, note="辱骂")
    with pytest.raises(IllegalTransition):
        services.comment_moderate(comment_id=comment.pk, actor=cast.admin, approve=True)


def test_only_a_finished_project_can_be_rated(client, cast, project):
    with pytest.raises(InvalidInput):
        services.comment_submit(project=project, token="t3", body="好", rating=5)
    assert 'name="rating"' not in page(client, project)
    approved(project, date(LAST_YEAR, 6, 1), [40, 200])
    assert 'name="rating"' in page(client, project)
    with pytest.raises(InvalidInput):
        services.comment_submit(project=project, token="t4", body="好", rating=6)
    comment, _created = services.comment_submit(project=project, token="t5", body="好", rating=5)
    assert comment.rating == 5


def test_comment_moderation_is_for_moderators(client, cast, project):
    comment, _created = services.comment_submit(project=project, token="t6", body="不错")
    url = reverse("livelihood:comment_moderate", args=[comment.pk])
    client.force_login(cast.handler)
    assert client.get(reverse("livelihood:comment_queue")).status_code == 404
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(cast.admin)
    assert "不错" in client.get(reverse("livelihood:comment_queue")).content.decode()
    comment.refresh_from_db()
    assert comment.status == MessageStatus.PENDING


def test_the_list_shows_this_year_and_links_the_years_with_published_projects(client, city):
    LivelihoodProject.objects.all().delete()  # the demo's own projects
    make_project("OLD-01", title="去年的项目")
    make_project("NEW-01", title="今年的项目", year=LAST_YEAR + 1)
    make_project("HID-01", title="未公开的项目", year=LAST_YEAR - 1, is_public=False)
    listing = client.get(reverse("livelihood_portal:list")).content.decode()
    assert "今年的项目" in listing and "去年的项目" not in listing
    assert f'href="?year={LAST_YEAR}"' in listing and f"?year={LAST_YEAR - 1}" not in listing
    older = client.get(reverse("livelihood_portal:list"), {"year": LAST_YEAR}).content.decode()
    assert "去年的项目" in older and "今年的项目" not in older


def test_before_this_year_s_projects_are_published_the_list_shows_last_year_s(client, city):
    """On New Year's Day the page is not empty: it shows the latest year that has projects."""
    LivelihoodProject.objects.all().delete()
    make_project("OLD-01", title="去年的项目")
    listing = client.get(reverse("livelihood_portal:list")).content.decode()
    assert "去年的项目" in listing and f"Livelihood projects {LAST_YEAR}" in listing
    empty = client.get(reverse("livelihood_portal:list"), {"year": LAST_YEAR + 1})
    assert "No projects published for this year yet." in empty.content.decode()
    assert f'href="?year={LAST_YEAR}"' in empty.content.decode()  # the way back
