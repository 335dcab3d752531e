import pytest
from django.urls import reverse


@pytest.fixture
def handler_client(client, cast):
    client.force_login(cast.handler)
    return client


def test_region_list_shows_only_regions_in_scope(handler_client):
    page = handler_client.get(reverse("org:region_list")).content.decode()
    assert "六合成社区" in page
    assert "万新社区" not in page


def test_region_page_out_of_scope_is_404(handler_client):
    assert (
        handler_client.get(reverse("org:region_detail", args=["150204001000"])).status_code == 200
    )
    assert (
        handler_client.get(reverse("org:region_detail", args=["150204002000"])).status_code == 404
    )
    assert (
        handler_client.get(reverse("org:region_detail", args=["000000000000"])).status_code == 404
    )


def test_region_pages_need_login(client, city):
    response = client.get(reverse("org:region_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_region_list_filters_and_pages(client, cast, django_assert_max_num_queries):
    client.force_login(cast.dispatcher)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("org:region_list"), {"level": "grid", "q": "六合成"})
    assert response.context["page"].paginator.count == 9
    response = client.get(reverse("org:region_list"), {"level": "grid"})
    assert response.context["page"].paginator.count == 8 * 4 * 9
    assert len(response.context["page"].object_list) == 50
