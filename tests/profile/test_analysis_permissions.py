"""Permission matrix of the analysis pages: every role × every view, allowed and denied.

Allowed roles get a success response and, for writes, the effect; everyone else gets 403/404
(anonymous: the login page) and the database stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import access
from tests.conftest import ROLES
from tests.profile.test_data import demo_files, media  # noqa: F401  (fixtures)
from zwk.profile import data
from zwk.profile.models import ComparisonRegion, DataSource, Scenario

IN_COMMUNE = {"team_member", "coordinator", "consultant", "programme_office", "superuser"}
OFFICE = {"programme_office", "superuser"}
POPULATION = "12411-02-03-5_flat.zip"


@dataclass
class Case(access.Case):
    with_data: bool = False


def url(name, *extra):
    return lambda w: reverse(name, args=[w.commune.pk, *extra])


def load_population(w):
    w.source = data.data_source_add(commune=w.commune, name=POPULATION,
                                    content=w.files[POPULATION], by=None)


def make_kreis(w):
    type(w.commune).objects.filter(pk=w.commune.pk).update(kind="kreis")


def add_scenario(w):
    w.scenario = data.scenario_save(commune=w.commune, name="Basis", preset="basis",
                                    horizon=2040, parameters={}, by=None)


def upload(w):
    return {"file": SimpleUploadedFile("melderegister_arnsberg.csv",
                                       w.files["melderegister_arnsberg.csv"]), "title": ""}


CASES = [
    Case("overview", IN_COMMUNE, "get", url("profile_overview"), with_data=True),
    Case("data page", IN_COMMUNE, "get", url("profile_data"), with_data=True),
    Case("projection", IN_COMMUNE, "get", url("profile_projection"), with_data=True),
    Case("towns of a Kreis", IN_COMMUNE, "get", url("profile_towns"), prepare=make_kreis),
    Case("chart download", IN_COMMUNE, "get", url("profile_chart", "pyramide", "csv"),
         with_data=True),
    Case("pdf", IN_COMMUNE, "get", url("profile_pdf")),
    Case("docx", IN_COMMUNE, "get", url("profile_docx")),
    Case("synopsis", OFFICE, "get", lambda w: reverse("profile_synopsis",
                                                      args=[w.programme.slug])),
    Case("synopsis xlsx", OFFICE, "get", lambda w: reverse("profile_synopsis_xlsx",
                                                           args=[w.programme.slug])),
    Case("upload", IN_COMMUNE, "post", url("profile_data"), data=upload,
         effect=lambda w: DataSource.objects.filter(
             commune=w.commune, original_name="melderegister_arnsberg.csv").exists()),
    Case("data guide", IN_COMMUNE, "get", url("profile_data_guide")),
    Case("register template", IN_COMMUNE, "get", url("profile_data_template")),
    Case("check only (nothing stored for anyone)", IN_COMMUNE, "post", url("profile_data_check"),
         data=upload),
    Case("remove data set", IN_COMMUNE, "post",
         lambda w: reverse("profile_data_remove", args=[w.commune.pk, w.source.pk]),
         with_data=True,
         effect=lambda w: not DataSource.objects.filter(pk=w.source.pk).exists()),
    Case("comparison regions", IN_COMMUNE, "post", url("profile_comparison"),
         data=lambda w: {"regions": ["05"]},
         effect=lambda w: ComparisonRegion.objects.filter(commune=w.commune).exists()),
    Case("api fetch (no credentials: refused, but only after the permission)", set(), "post",
         url("profile_data_fetch"), data=lambda w: {"table": "12411-02-03-5"}),
    Case("save scenario", IN_COMMUNE, "post", url("profile_scenario_save"), with_data=True,
         data=lambda w: {"preset": "basis", "horizon": "2040", "name": "Eigenes"},
         effect=lambda w: Scenario.objects.filter(commune=w.commune, name="Eigenes").exists()),
    Case("delete scenario", IN_COMMUNE, "post",
         lambda w: reverse("profile_scenario_delete", args=[w.commune.pk, w.scenario.pk]),
         prepare=add_scenario,
         effect=lambda w: not Scenario.objects.filter(pk=w.scenario.pk).exists()),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_permissions(case, role, world, login, demo_files, monkeypatch):  # noqa: F811
    monkeypatch.delenv("PYSTATIS_REGIO_API_USERNAME", raising=False)
    type(world.commune).objects.filter(pk=world.commune.pk).update(ags="05958004")
    world.commune.refresh_from_db()
    world.files = demo_files
    if case.with_data:
        load_population(world)
    if case.prepare:
        case.prepare(world)
    client = login(world, role)
    target = case.url(world)
    response = (client.get(target) if case.method == "get"
                else client.post(target, case.data(world)))
    if case.name.startswith("check only"):
        assert not DataSource.objects.filter(commune=world.commune).exists()
    if role == "anonymous":
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]
        if case.effect:
            assert not case.effect(world)
        return
    if role in case.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        if case.effect:
            assert case.effect(world)
    elif case.name.startswith("api fetch"):
        # without credentials the people allowed to manage data get the German refusal (400)
        assert response.status_code in ((400,) if role in IN_COMMUNE else (403, 404)), role
        if role in IN_COMMUNE:
            assert "nicht eingerichtet" in response.content.decode()
        assert not DataSource.objects.filter(commune=world.commune, origin="api").exists()
    else:
        assert response.status_code in (403, 404)
        if case.effect:
            assert not case.effect(world)
