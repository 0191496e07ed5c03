"""Test data built through the real services, so stages and history exist as in production."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth import get_user_model

from zwk.communes import services
from zwk.communes.models import Commune, Membership, Programme, ProgrammeRole

PASSWORD = "Test-Passwort-1"
_ags_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programm {n}")
    slug = factory.Sequence(lambda n: f"programm-{n}")


def make_commune(programme: Programme, *, name: str | None = None, kind: str = "gemeinde",
                 land: str = "05", ags: str | None = None, parent: Commune | None = None,
                 cluster: str = "west", by=None) -> Commune:
    """A commune with its five stages, created through the service like in the app."""
    number = next(_ags_numbers)
    if ags is None:
        ags = f"{land}9{number // 1000 % 100:02d}{number % 1000:03d}" if kind != "kreis" else ""
    data = services.CommuneData(name=name or f"Gemeinde {number}", kind=kind, land=land,
                                ags=ags, parent=parent, cluster=cluster)
    return services.commune_create(programme=programme, data=data, by=by)


def add_member(commune: Commune, user, role: str) -> Membership:
    return Membership.objects.create(commune=commune, user=user, role=role)


def make_office(programme: Programme, user=None):
    user = user or UserFactory()
    ProgrammeRole.objects.create(user=user, programme=programme)
    return user
