from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.communes import selectors, services
from zwk.communes.forms import AssignConsultantForm, CommuneForm, InviteForm, PortfolioFilterForm
from zwk.communes.models import Membership, Programme
from zwk.core.forms import add_errors
from zwk.core.permissions import require, visible_commune
from zwk.history.selectors import commune_timeline
from zwk.process.selectors import stage_signal, stages_of


@login_required
def portfolio(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    require(request, "communes.view_portfolio", programme)
    form = PortfolioFilterForm(
        request.GET or None,
        consultants=selectors.programme_consultants(programme=programme),
    )
    filters = selectors.PortfolioFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.PortfolioFilters(
            consultant=d["consultant"].pk if d["consultant"] else None, land=d["land"],
            cluster=d["cluster"], stage=d["stage"], signal=d["signal"], query=d["q"].strip())
    rows = selectors.portfolio(programme=programme, filters=filters, today=timezone.localdate())
    return render(request, "communes/portfolio.html", {
        "programme": programme, "rows": rows, "form": form,
        "filtered": any(v for v in vars(filters).values()),
        "stage_types": _stage_types(),
    })


def _stage_types():
    from zwk.process.stages import STAGE_TYPES

    return list(STAGE_TYPES.values())


@login_required
def commune_create(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    require(request, "communes.add_commune", programme)
    form = CommuneForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            commune = services.commune_create(programme=programme, data=form.commune_data(),
                                              by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Die Kommune %(name)s ist angelegt.") % {"name": commune.name})
            return redirect("commune_detail", pk=commune.pk)
    return render(request, "communes/commune_form.html",
                  {"form": form, "programme": programme, "title": _("Kommune anlegen")})


@login_required
def commune_edit(request, pk):
    commune = visible_commune(request, pk)
    require(request, "communes.change_commune", commune)
    form = CommuneForm(request.POST or None, programme=commune.programme,
                       initial=CommuneForm.initial_for(commune))
    form.fields["parent"].queryset = form.fields["parent"].queryset.exclude(pk=commune.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.commune_update(commune=commune, data=form.commune_data(), by=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Die Stammdaten sind gespeichert."))
            return redirect("commune_detail", pk=commune.pk)
    return render(request, "communes/commune_form.html", {
        "form": form, "programme": commune.programme, "commune": commune,
        "title": _("Stammdaten bearbeiten")})


@login_required
def commune_detail(request, pk):
    commune = visible_commune(request, pk)
    today = timezone.localdate()
    stages = list(stages_of(commune=commune))
    return render(request, "communes/commune_detail.html", {
        "commune": commune,
        "stages": [(s, stage_signal(s, today=today)) for s in stages],
        "members": selectors.commune_members(commune=commune),
        "children": commune.children.order_by("name"),
        "linkable": selectors.commune_ids_visible_to(user=request.user),
        "recent": commune_timeline(commune=commune, limit=8),
    })


@login_required
def members(request, pk):
    commune = visible_commune(request, pk)
    require(request, "communes.view_membership", commune)
    user = request.user
    invite_roles = _invite_roles(user, commune)
    invite_form = InviteForm(roles=invite_roles, prefix="invite") if invite_roles else None
    assign_form = None
    if user.has_perm("communes.assign_consultant", commune):
        assign_form = AssignConsultantForm(
            candidates=selectors.consultant_candidates(commune=commune), prefix="assign")
    if request.method == "POST":
        if "assign-user" in request.POST:
            require(request, "communes.assign_consultant", commune)
            assign_form = AssignConsultantForm(
                request.POST, candidates=selectors.consultant_candidates(commune=commune),
                prefix="assign")
            if _assign(request, commune, assign_form):
                return redirect("commune_members", pk=commune.pk)
        else:
            require(request, "communes.invite_member", commune)
            invite_form = InviteForm(request.POST, roles=invite_roles, prefix="invite")
            if _invite(request, commune, invite_form):
                return redirect("commune_members", pk=commune.pk)
    return render(request, "communes/members.html", {
        "commune": commune, "members": selectors.commune_members(commune=commune),
        "invite_form": invite_form, "assign_form": assign_form,
        "may_remove": user.has_perm("communes.remove_membership", commune),
    })


def _invite_roles(user, commune) -> list[str]:
    if user.has_perm("communes.assign_consultant", commune):
        return [r for r, _label in Membership.Role.choices]
    if user.has_perm("communes.invite_member", commune):
        return [Membership.Role.TEAM_MEMBER, Membership.Role.COORDINATOR]
    return []


def _invite(request, commune, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.user_invite(commune=commune, invitation=form.invitation(), by=request.user,
                             base_url=request.build_absolute_uri("/").rstrip("/"))
    except ValidationError as error:
        add_errors(form, error, field_map={"user": "email"})
        return False
    messages.success(request, _("Die Einladung an %(email)s ist verschickt.")
                     % {"email": form.cleaned_data["email"]})
    return True


def _assign(request, commune, form) -> bool:
    if not form.is_valid():
        return False
    try:
        services.membership_add(commune=commune, user=form.cleaned_data["user"],
                                role=Membership.Role.CONSULTANT, by=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, _("%(name)s berät jetzt %(commune)s.")
                     % {"name": form.cleaned_data["user"].display_name, "commune": commune.name})
    return True


@login_required
@require_POST
def membership_remove(request, pk, membership_pk):
    commune = visible_commune(request, pk)
    membership = get_object_or_404(Membership, pk=membership_pk, commune=commune)
    require(request, "communes.remove_membership", commune)
    if membership.role == Membership.Role.CONSULTANT:
        require(request, "communes.assign_consultant", commune)
    services.membership_remove(membership=membership, by=request.user)
    messages.success(request, _("%(name)s gehört nicht mehr zu %(commune)s.")
                     % {"name": membership.user.display_name, "commune": commune.name})
    return redirect("commune_members", pk=commune.pk)


@login_required
def timeline(request, pk):
    commune = visible_commune(request, pk)
    require(request, "history.view_timeline", commune)
    return render(request, "history/timeline.html", {
        "commune": commune, "events": commune_timeline(commune=commune, limit=500)})
