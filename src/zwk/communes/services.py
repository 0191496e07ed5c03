"""Every write about programmes, communes and people. Each records a history event."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from zwk.accounts.models import User
from zwk.communes import keys
from zwk.communes.models import (
    DEFAULT_ACTION_FIELDS,
    ActionField,
    Commune,
    Membership,
    Programme,
    ProgrammeRole,
)
from zwk.communes.roles import forget_roles
from zwk.history.services import record
from zwk.process.services import stages_create_for


@dataclass(frozen=True)
class CommuneData:
    name: str
    kind: str
    land: str
    ags: str = ""
    ars: str = ""
    parent: Commune | None = None
    cluster: str = ""
    population: int | None = None


def commune_problems(*, programme: Programme, data: CommuneData,
                     instance: Commune | None = None) -> dict[str, str]:
    """German messages per field for everything that would make the commune invalid."""
    problems: dict[str, str] = {}
    if data.ags and (msg := keys.ags_problem(data.ags)):
        problems["ags"] = msg
    if data.ars and (msg := keys.ars_problem(data.ars)):
        problems["ars"] = msg
    if problems:
        return problems
    problems.update(_kind_problems(data))
    problems.update(_consistency_problems(programme, data))
    problems.update(_duplicate_problems(programme, data, instance))
    return problems


def _kind_problems(data: CommuneData) -> dict[str, str]:
    if data.kind == Commune.Kind.KREIS and data.ags and len(data.ags) != keys.KREIS_LENGTH:
        return {"ags": _("Ein Landkreis hat einen fünfstelligen Kreisschlüssel (z. B. 05958).")}
    if data.kind in (Commune.Kind.GEMEINDE, Commune.Kind.STADT) and data.ags and \
            len(data.ags) != keys.GEMEINDE_LENGTH:
        return {"ags": _("Eine Gemeinde oder Stadt hat einen achtstelligen Gemeindeschlüssel.")}
    if data.kind == Commune.Kind.QUARTIER and data.parent is None:
        return {"parent": _("Ein Quartier gehört immer zu einer Stadt oder Gemeinde.")}
    return {}


def _consistency_problems(programme: Programme, data: CommuneData) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.ags and keys.land_of(data.ags) != data.land:
        problems["land"] = (
            _("Der Gemeindeschlüssel %(ags)s gehört zu "
              "%(key_land)s, nicht zu %(chosen_land)s.")
            % {"ags": data.ags, "key_land": keys.LAENDER[keys.land_of(data.ags)],
               "chosen_land": keys.LAENDER.get(data.land, "?")}
        )
    if data.ars and len(data.ars) == keys.ARS_LENGTH and data.ags and \
            keys.ags_from_ars(data.ars) != data.ags:
        problems["ars"] = (
            _("Regionalschlüssel %(ars)s und Gemeindeschlüssel %(ags)s passen nicht "
              "zusammen.") % {"ars": data.ars, "ags": data.ags}
        )
    if data.parent is not None:
        if data.parent.programme_id != programme.pk:
            problems["parent"] = _("Die übergeordnete Kommune gehört zu einem anderen Programm.")
        elif data.ags and data.parent.ags and not data.ags.startswith(data.parent.ags):
            problems["parent"] = (
                _("Der Gemeindeschlüssel %(ags)s liegt nicht in %(parent)s "
                  "(%(parent_ags)s).")
                % {"ags": data.ags, "parent": data.parent.name, "parent_ags": data.parent.ags}
            )
    return problems


def _duplicate_problems(programme: Programme, data: CommuneData,
                        instance: Commune | None) -> dict[str, str]:
    others = Commune.objects.filter(programme=programme)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if data.ags and (twin := others.filter(ags=data.ags).first()):
        return {"ags": _("Die Kommune %(twin)s mit dem Schlüssel %(ags)s gibt es in "
                         "diesem Programm schon.") % {"twin": twin.name, "ags": data.ags}}
    if others.filter(land=data.land, name__iexact=data.name.strip()).exists():
        return {"name": _("Eine Kommune „%(name)s“ gibt es in diesem Land und Programm schon.")
                        % {"name": data.name}}
    return {}


@transaction.atomic
def commune_create(*, programme: Programme, data: CommuneData, by: User) -> Commune:
    if problems := commune_problems(programme=programme, data=data):
        raise ValidationError(problems)
    commune = Commune.objects.create(
        programme=programme, name=data.name.strip(), kind=data.kind, land=data.land,
        ags=data.ags, ars=data.ars, parent=data.parent, cluster=data.cluster,
        population=data.population,
    )
    stages_create_for(commune=commune)
    action_fields_seed(commune=commune)
    record(verb="commune.created", actor=by, subject=commune, commune=commune,
           ags=commune.ags, kind=commune.kind)
    return commune


@transaction.atomic
def commune_update(*, commune: Commune, data: CommuneData, by: User) -> Commune:
    if problems := commune_problems(programme=commune.programme, data=data, instance=commune):
        raise ValidationError(problems)
    changed = {}
    for field in ("name", "kind", "land", "ags", "ars", "parent", "cluster", "population"):
        new = getattr(data, field)
        if getattr(commune, field) != new:
            changed[field] = str(new) if new is not None else ""
            setattr(commune, field, new)
    if changed:
        commune.save()
        record(verb="commune.updated", actor=by, subject=commune, commune=commune,
               changed=changed)
    return commune


@transaction.atomic
def membership_add(*, commune: Commune, user: User, role: str, by: User) -> Membership:
    if not user.is_active:
        raise ValidationError({"user": _("Das Konto %(username)s ist deaktiviert.")
                                       % {"username": user.username}})
    if Membership.objects.filter(commune=commune, user=user).exists():
        raise ValidationError({"user": _("%(name)s gehört schon zu %(commune)s.")
                                       % {"name": user.display_name, "commune": commune.name}})
    membership = Membership.objects.create(commune=commune, user=user, role=role)
    forget_roles(user)
    record(verb="membership.added", actor=by, subject=membership, commune=commune,
           user=user.username, role=role)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    commune = membership.commune
    record(verb="membership.removed", actor=by, subject=membership, commune=commune,
           user=membership.user.username, role=membership.role)
    membership.delete()
    forget_roles(membership.user)


@dataclass(frozen=True)
class Invitation:
    email: str
    first_name: str
    last_name: str
    role: str


@transaction.atomic
def user_invite(*, commune: Commune, invitation: Invitation, by: User, base_url: str) -> Membership:
    """Add a person to a commune; a new person gets an account and an e-mail to set a password.

    The mail goes out only when the transaction commits, so a failed invitation sends nothing.
    """
    email = invitation.email.strip().lower()
    found = User.objects.filter(email__iexact=email).first()
    created = found is None
    if found is not None:
        user = found
    else:
        user = User.objects.create_user(
            username=_free_username(email), email=email,
            first_name=invitation.first_name.strip(), last_name=invitation.last_name.strip(),
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership = membership_add(commune=commune, user=user, role=invitation.role, by=by)
    record(verb="user.invited", actor=by, subject=user, commune=commune, email=email,
           role=invitation.role, new_account=created)
    transaction.on_commit(lambda: _send_invitation(user, commune, membership, base_url, created))
    return membership


def _free_username(email: str) -> str:
    base = email.split("@")[0][:120] or "person"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _send_invitation(user: User, commune: Commune, membership: Membership, base_url: str,
                     new_account: bool) -> None:
    link = ""
    if new_account:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = base_url + reverse("password_reset_confirm", args=[uid, token])
    body = render_to_string("communes/email/invitation.txt", {
        "user": user, "commune": commune, "role": membership.get_role_display(),
        "link": link, "login_url": base_url + reverse("login"),
    })
    send_mail(f"Einladung: {commune.name} in ZWK", body, None, [user.email])


def action_fields_seed(*, commune: Commune) -> list[ActionField]:
    """Give a new commune the default catalogue of Handlungsfelder; it may edit them later."""
    return ActionField.objects.bulk_create(
        ActionField(commune=commune, name=name, position=index)
        for index, name in enumerate(DEFAULT_ACTION_FIELDS)
    )


def programme_role_problems(*, programme: Programme, user: User) -> dict[str, str]:
    """German messages for a grant of the programme office that must not be made."""
    if not user.is_active:
        return {"user": _("Das Konto %(username)s ist deaktiviert.") % {"username": user.username}}
    if ProgrammeRole.objects.filter(programme=programme, user=user).exists():
        return {"user": _("%(name)s arbeitet schon für die Geschäftsstelle von %(programme)s.")
                % {"name": user.display_name, "programme": programme.name}}
    return {}


@transaction.atomic
def programme_role_grant(*, programme: Programme, user: User, by: User,
                         role: str = ProgrammeRole.Role.OFFICE) -> ProgrammeRole:
    """Let a person work for a programme's office (which sees and steers all its communes)."""
    if problems := programme_role_problems(programme=programme, user=user):
        raise ValidationError(problems)
    grant = ProgrammeRole.objects.create(programme=programme, user=user, role=role)
    forget_roles(user)
    record(verb="programme_role.granted", actor=by, subject=grant, programme=programme,
           user=user.username, role=role)
    return grant


@transaction.atomic
def programme_role_revoke(*, grant: ProgrammeRole, by: User) -> None:
    record(verb="programme_role.revoked", actor=by, subject=grant, programme=grant.programme,
           user=grant.user.username, role=grant.role)
    grant.delete()
    forget_roles(grant.user)


@transaction.atomic
def programme_admin_saved(*, programme: Programme, by: User, created: bool,
                          changed: list[str]) -> Programme:
    """The Django admin's form filled a programme's fields: store them and record it."""
    programme.save()
    record(verb="programme.created" if created else "programme.updated", actor=by,
           subject=programme, programme=programme, changed=sorted(changed), via="admin")
    return programme
