"""Staff home links. Each app's nav.py registers the features it has, with the roles that use
them, so the staff home (工作台) shows a user only links that exist and that they may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .scope import has_role


@dataclass(frozen=True)
class NavItem:
    section: str | Promise
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]  # empty: every signed-in staff user
    icon: str = "link-45deg"
    description: str | Promise = ""
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registry: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _registry:
            _registry.append(item)


def items_for(user: User | AnonymousUser) -> list[NavItem]:
    visible = [i for i in _registry if not i.roles or has_role(user, *i.roles)]
    return sorted(visible, key=lambda i: (i.order, str(i.label)))


register(
    NavItem(_("Account"), _("Change password"), "password_change", (), "key", order=900),
)


@dataclass(frozen=True)
class PortalLink:
    """A feature on the public portal's home and bottom bar."""

    label: str | Promise
    url_name: str
    icon: str
    description: str | Promise = ""
    order: int = 100
    in_tab_bar: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_portal: list[PortalLink] = []


def register_portal(*links: PortalLink) -> None:
    for link in links:
        if link not in _portal:
            _portal.append(link)


def portal_links() -> list[PortalLink]:
    return sorted(_portal, key=lambda link: (link.order, str(link.label)))
