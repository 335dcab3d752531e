import pytest
from django.urls import reverse

from wenming.notify.models import Notification
from wenming.notify.services import notify


@pytest.fixture
def handler_client(client, cast):  # type: ignore[no-untyped-def]
    client.force_login(cast.handler)
    return client


def test_inbox_needs_login(client, city):
    response = client.get(reverse("notify:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_inbox_shows_only_the_users_messages(handler_client, cast):
    notify(recipients=[cast.handler], kind="case.dispatched", title="Mine to sign")
    notify(recipients=[cast.outsider], kind="case.dispatched", title="Not yours")
    page = handler_client.get(reverse("notify:inbox")).content.decode()
    assert "Mine to sign" in page
    assert "Not yours" not in page


def test_inbox_filters_unread_and_by_kind_and_sorts(handler_client, cast):
    old = notify(recipients=[cast.handler], kind="case.closed", title="Older closed")[0]
    notify(recipients=[cast.handler], kind="case.warning", title="Newer warning")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    url = reverse("notify:inbox")
    assert "Older closed" not in handler_client.get(url, {"state": "unread"}).content.decode()
    by_kind = handler_client.get(url, {"kind": "case.closed"}).content.decode()
    assert "Older closed" in by_kind and "Newer warning" not in by_kind
    newest = handler_client.get(url).content.decode()
    assert newest.index("Newer warning") < newest.index("Older closed")
    oldest = handler_client.get(url, {"sort": "old"}).content.decode()
    assert oldest.index("Older closed") < oldest.index("Newer warning")


@pytest.mark.parametrize("rows", [10, 50])
def test_inbox_queries_do_not_grow_with_rows(
    handler_client, cast, rows, django_assert_max_num_queries
):
    for i in range(rows):
        notify(recipients=[cast.handler], kind=f"kind{i % 3}", title=f"Message {i}")
    with django_assert_max_num_queries(6):
        response = handler_client.get(reverse("notify:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count("data-notification=") == min(rows, 20)  # paged


def test_mark_read_from_the_inbox(handler_client, cast):
    mine = notify(recipients=[cast.handler], kind="k", title="t")[0]
    response = handler_client.post(
        reverse("notify:read", args=[mine.pk]), {"next": "/notify/?state=unread"}
    )
    assert response.status_code == 302 and response["Location"] == "/notify/?state=unread"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_of_another_users_message_is_404(handler_client, cast):
    theirs = notify(recipients=[cast.outsider], kind="k", title="t")[0]
    assert handler_client.post(reverse("notify:read", args=[theirs.pk])).status_code == 404
    assert handler_client.post(reverse("notify:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_ignores_an_outside_next(handler_client, cast):
    mine = notify(recipients=[cast.handler], kind="k", title="t")[0]
    response = handler_client.post(
        reverse("notify:read", args=[mine.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notify:inbox")


def test_mark_read_needs_post(handler_client, cast):
    mine = notify(recipients=[cast.handler], kind="k", title="t")[0]
    assert handler_client.get(reverse("notify:read", args=[mine.pk])).status_code == 405


def test_open_marks_read_and_follows_the_link(handler_client, cast):
    mine = notify(recipients=[cast.handler], kind="k", title="t", url="/org/regions/")[0]
    response = handler_client.post(reverse("notify:open", args=[mine.pk]))
    assert response["Location"] == "/org/regions/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_open_never_leaves_the_site(handler_client, cast):
    mine = notify(recipients=[cast.handler], kind="k", title="t", url="//evil.example/x")[0]
    assert handler_client.post(reverse("notify:open", args=[mine.pk]))["Location"] == reverse(
        "notify:inbox"
    )


def test_mark_all_read(handler_client, cast):
    notify(recipients=[cast.handler, cast.outsider], kind="k", title="t")
    notify(recipients=[cast.handler], kind="k", title="u")
    handler_client.post(reverse("notify:read_all"))
    assert not Notification.objects.filter(recipient=cast.handler, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=cast.outsider, read_at__isnull=True).count() == 1


def test_badge_shows_the_unread_count(handler_client, cast):
    notify(recipients=[cast.handler], kind="k", title="a")
    notify(recipients=[cast.handler], kind="k", title="b")
    notify(recipients=[cast.outsider], kind="k", title="c")
    badge = handler_client.get(reverse("notify:badge"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">2</span>" in badge and "2 unread" in badge


def test_badge_caps_large_counts(handler_client, cast):
    for _ in range(100):
        notify(recipients=[cast.handler], kind="k", title="x")
    assert "99+" in handler_client.get(reverse("notify:badge")).content.decode()


def test_badge_is_empty_for_a_signed_out_session(client, city):
    assert client.get(reverse("notify:badge")).status_code == 204


def test_staff_pages_load_the_badge_and_link_the_inbox(handler_client):
    home = handler_client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notify:badge")}"' in home
    assert 'hx-trigger="load, every 60s"' in home
    assert f'href="{reverse("notify:inbox")}"' in home


def test_login_page_has_no_badge(client, city):
    assert reverse("notify:badge") not in client.get(reverse("login")).content.decode()


def test_inbox_shows_kinds_by_their_label(handler_client, cast):
    notify(recipients=[cast.handler], kind="case.warning", title="t")
    notify(recipients=[cast.handler], kind="custom.kind", title="u")
    page = handler_client.get(reverse("notify:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deadline warning" in page and "custom.kind" in page
