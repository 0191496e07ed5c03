import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import ProgrammeFactory, UserFactory, make_commune
from zwk.communes import services
from zwk.communes.models import Commune, Membership
from zwk.history.models import HistoryEvent
from zwk.process.models import Stage

pytestmark = pytest.mark.django_db


def data(**overrides):
    values = dict(name="Brilon", kind="stadt", land="05", ags="05958012")
    values.update(overrides)
    return services.CommuneData(**values)


def test_create_commune_makes_five_open_stages_and_records_it():
    programme, office = ProgrammeFactory(), UserFactory()
    commune = services.commune_create(programme=programme, data=data(), by=office)
    stages = list(commune.stages.order_by("number").values_list("key", "status"))
    assert stages == [(k, Stage.Status.OPEN) for k in
                      ("kickoff", "profile", "workshop", "plan", "review")]
    event = HistoryEvent.objects.get(verb="commune.created")
    assert (event.commune, event.actor, event.data["ags"]) == (commune, office, "05958012")


@pytest.mark.parametrize("overrides, field, fragment", [
    ({"ags": "0595801"}, "ags", "7 Stellen"),
    ({"ags": "05958012", "land": "09"}, "land", "Nordrhein-Westfalen"),
    ({"kind": "kreis", "ags": "05958012"}, "ags", "fünfstelligen"),
    ({"kind": "stadt", "ags": "05958"}, "ags", "achtstelligen"),
    ({"ars": "059580000012", "ags": "05958004"}, "ars", "passen nicht"),
    ({"kind": "quartier", "ags": ""}, "parent", "Quartier"),
])
def test_invalid_commune_is_refused_with_a_german_message_and_nothing_written(overrides, field,
                                                                                fragment):
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as error:
        services.commune_create(programme=programme, data=data(**overrides), by=None)
    assert fragment in " ".join(error.value.message_dict[field])
    assert not Commune.objects.exists()
    assert not Stage.objects.exists() and not HistoryEvent.objects.exists()


def test_duplicate_ags_and_duplicate_name_are_refused():
    programme = ProgrammeFactory()
    services.commune_create(programme=programme, data=data(), by=None)
    with pytest.raises(ValidationError) as by_key:
        services.commune_create(programme=programme, data=data(name="Anders"), by=None)
    assert "gibt es in diesem Programm schon" in by_key.value.message_dict["ags"][0]
    with pytest.raises(ValidationError) as by_name:
        services.commune_create(programme=programme, data=data(name="brilon ", ags=""), by=None)
    assert "gibt es in diesem Land und Programm schon" in by_name.value.message_dict["name"][0]
    assert Commune.objects.count() == 1


def test_the_same_commune_may_take_part_in_another_programme():
    services.commune_create(programme=ProgrammeFactory(), data=data(), by=None)
    services.commune_create(programme=ProgrammeFactory(), data=data(), by=None)
    assert Commune.objects.count() == 2


def test_a_town_must_lie_in_its_kreis():
    programme = ProgrammeFactory()
    kreis = make_commune(programme, name="Hochsauerlandkreis", kind="kreis", ags="05958")
    services.commune_create(programme=programme, data=data(parent=kreis), by=None)
    with pytest.raises(ValidationError) as error:
        services.commune_create(programme=programme, by=None, data=data(
            name="Bielefeld", ags="05711000", parent=kreis))
    assert "liegt nicht in Hochsauerlandkreis" in error.value.message_dict["parent"][0]


def test_update_records_only_changed_fields():
    programme = ProgrammeFactory()
    commune = services.commune_create(programme=programme, data=data(), by=None)
    services.commune_update(commune=commune, data=data(population=25452), by=None)
    event = HistoryEvent.objects.get(verb="commune.updated")
    assert event.data["changed"] == {"population": "25452"}
    services.commune_update(commune=commune, data=data(population=25452), by=None)
    assert HistoryEvent.objects.filter(verb="commune.updated").count() == 1


def test_invite_new_person_creates_account_membership_and_mail_with_link(
        django_capture_on_commit_callbacks):
    commune = make_commune(ProgrammeFactory())
    office = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.user_invite(
            commune=commune, by=office, base_url="https://zwk.example",
            invitation=services.Invitation(email="Neu@Example.org", first_name="Nina",
                                           last_name="Neu", role=Membership.Role.TEAM_MEMBER))
    user = membership.user
    assert (user.email, user.has_usable_password(), membership.role) == (
        "neu@example.org", False, "team_member")
    assert len(mail.outbox) == 1
    assert "https://zwk.example/konto/passwort/neu/" in mail.outbox[0].body
    assert commune.name in mail.outbox[0].subject
    assert HistoryEvent.objects.filter(verb="user.invited", commune=commune).exists()


def test_invite_existing_person_adds_membership_without_new_account(
        django_capture_on_commit_callbacks):
    commune = make_commune(ProgrammeFactory())
    person = UserFactory(email="da@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.user_invite(commune=commune, by=None, base_url="http://x",
                             invitation=services.Invitation("da@example.org", "", "", "coordinator"))
    assert Membership.objects.get(commune=commune).user == person
    assert "/konto/passwort/neu/" not in mail.outbox[0].body


def test_inactive_person_cannot_be_added_and_nothing_is_sent(django_capture_on_commit_callbacks):
    commune = make_commune(ProgrammeFactory())
    UserFactory(email="weg@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        services.user_invite(commune=commune, by=None, base_url="http://x",
                             invitation=services.Invitation("weg@example.org", "", "", "team_member"))
    assert "deaktiviert" in error.value.message_dict["user"][0]
    assert not Membership.objects.exists() and mail.outbox == []


def test_a_person_cannot_be_added_twice():
    commune = make_commune(ProgrammeFactory())
    person = UserFactory()
    services.membership_add(commune=commune, user=person, role="team_member", by=None)
    with pytest.raises(ValidationError):
        services.membership_add(commune=commune, user=person, role="consultant", by=None)
    assert Membership.objects.count() == 1


def test_one_person_can_hold_different_roles_in_different_communes():
    programme = ProgrammeFactory()
    a, b = make_commune(programme), make_commune(programme)
    person = UserFactory()
    services.membership_add(commune=a, user=person, role="coordinator", by=None)
    services.membership_add(commune=b, user=person, role="consultant", by=None)
    assert person.has_perm("process.complete_stage", a.stages.first())
    assert dict(person.memberships.values_list("commune__name", "role")) == {
        a.name: "coordinator", b.name: "consultant"}
