"""Shared fixtures: one programme with two communes and a person in every role."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

# Django-backed helpers are imported inside the fixtures: the framework-free layers' tests
# (tests/demography, tests/charts, tests/reports) must also run without Django configured.

ROLES = (
    "anonymous", "no_membership", "team_member", "coordinator", "consultant",
    "consultant_other_commune", "programme_office", "office_other_programme", "superuser",
)


@dataclass
class World:
    programme: object
    commune: object
    other_commune: object
    other_programme: object
    users: dict

    def user(self, role: str):
        return self.users.get(role)


@pytest.fixture
def world(db) -> World:
    from tests.factories import ProgrammeFactory, UserFactory, add_member, make_commune, make_office
    from zwk.communes.models import Membership

    programme = ProgrammeFactory(name="Testprogramm")
    other_programme = ProgrammeFactory(name="Anderes Programm")
    commune = make_commune(programme, name="Bergstadt", kind="stadt", ags="05958999")
    other_commune = make_commune(programme, name="Talgemeinde", ags="05958998")
    users = {
        "no_membership": UserFactory(username="niemand"),
        "team_member": UserFactory(username="team"),
        "coordinator": UserFactory(username="koordination"),
        "consultant": UserFactory(username="berater"),
        "consultant_other_commune": UserFactory(username="beraterin_andere"),
        "programme_office": make_office(programme, UserFactory(username="geschaeftsstelle")),
        "office_other_programme": make_office(other_programme, UserFactory(username="andere_gs")),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    add_member(commune, users["team_member"], Membership.Role.TEAM_MEMBER)
    add_member(commune, users["coordinator"], Membership.Role.COORDINATOR)
    add_member(commune, users["consultant"], Membership.Role.CONSULTANT)
    add_member(other_commune, users["consultant_other_commune"], Membership.Role.CONSULTANT)
    return World(programme, commune, other_commune, other_programme, users)


@pytest.fixture
def login(client):
    """Log the test client in as a role of the world (or stay anonymous)."""

    from tests.factories import PASSWORD

    def _login(world: World, role: str):
        user = world.user(role)
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


CHROMIUM = Path(os.environ.get("ZWK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SKIP_REASON = (f"LOUD SKIP: no Chromium at {CHROMIUM} (set ZWK_CHROMIUM or install Debian's "
               "'chromium' package): the browser tests did NOT run")


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process, shared by every browser test.

    Playwright's sync API may only run once per thread, so tests/e2e and tests/charts must
    share this fixture rather than start their own.
    """
    if not CHROMIUM.exists():
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to this test's own folder: the database rolls back, files do not."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": tmp_path / "media"}}}
    return tmp_path / "media"

