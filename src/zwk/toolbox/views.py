from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zwk.communes.models import Commune
from zwk.communes.roles import roles_of
from zwk.core.permissions import require, visible_commune
from zwk.process.stages import STAGE_TYPES
from zwk.process.uploads import UploadRejected
from zwk.toolbox import selectors, services
from zwk.toolbox.forms import (
    AdoptForm,
    AdoptIntoPlanForm,
    AttachmentForm,
    FilterForm,
    PracticeFromMeasureForm,
    ToolForm,
)
from zwk.toolbox.models import Tool, ToolAttachment


def _tool(request, slug, perm="toolbox.view_tool"):
    tool = selectors.tool_for_page(slug=slug)
    if tool is None or not request.user.has_perm("toolbox.view_tool", tool):
        raise Http404
    require(request, perm, tool)
    return tool


def _my_communes(user):
    return list(Commune.objects.filter(pk__in=roles_of(user).by_commune))


@login_required
def toolbox_index(request):
    require(request, "toolbox.browse_tools")
    form = FilterForm(request.GET or None)
    results = selectors.tool_search(form.tool_filter())
    page = Paginator(results, 24).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(request, "toolbox/index.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "filtered": bool(request.GET.get("q") or any(
            request.GET.get(k) for k in FilterForm.base_fields if k != "q")),
        "my_communes": _my_communes(request.user),
    })


def _plan_communes(user, tool=None):
    """The communes this person works in as a member and may adopt into the plan of (a
    practice is not adopted by the commune it comes from)."""
    return [c for c in _my_communes(user)
            if user.has_perm("toolbox.adopt_tool", c) and user.has_perm("plan.change_plan", c)
            and (tool is None or tool.owner_commune_id != c.pk)]


def _plan_form(request, tool, data=None):
    communes = _plan_communes(request.user, tool)
    choices = selectors.adoption_goals(communes=communes)
    form = AdoptIntoPlanForm(data, goal_choices=choices, initial={"title": tool.title})
    return form, communes, choices


@login_required
def tool_detail(request, slug, adopt_form=None, attachment_form=None, plan_form=None,
                status=200):
    tool = _tool(request, slug)
    communes = [c for c in _my_communes(request.user)
                if request.user.has_perm("toolbox.adopt_tool", c)]
    form, plan_communes, choices = _plan_form(request, tool)
    published = tool.status == Tool.Status.PUBLISHED
    return render(request, "toolbox/tool_detail.html", {
        "tool": tool,
        "stages": [STAGE_TYPES[k] for k in tool.stage_keys if k in STAGE_TYPES],
        "related": selectors.related_tools(tool),
        "adoptions": selectors.adoptions_of(tool),
        "overview": selectors.adoption_overview(tool=tool, user=request.user),
        "adopt_form": adopt_form or AdoptForm(communes=communes),
        "can_adopt": bool(communes) and published,
        "plan_form": plan_form or form,
        "plan_communes": plan_communes if published else [],
        "has_goals": bool(choices),
        "attachment_form": attachment_form or AttachmentForm(),
    }, status=status)


@login_required
def tool_create(request):
    require(request, "toolbox.add_tool")
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tool = services.tool_create(data=form.tool_data(), by=request.user)
        messages.success(request, _("Das Werkzeug ist als Entwurf angelegt."))
        return redirect("tool_detail", slug=tool.slug)
    return render(request, "toolbox/tool_form.html", {"form": form},
                  status=400 if form.errors else 200)


@login_required
def practice_create(request, pk):
    commune = visible_commune(request, pk)
    require(request, "toolbox.add_practice", commune)
    form = ToolForm(request.POST or None, practice=True)
    if request.method == "POST" and form.is_valid():
        tool = services.tool_create(data=form.tool_data(), by=request.user,
                                    owner_commune=commune)
        messages.success(request, _("Ihr Praxisbeispiel ist als Entwurf gespeichert. Nur Ihre "
                                    "Kommune sieht es, bis die Geschäftsstelle es freigibt."))
        return redirect("tool_detail", slug=tool.slug)
    return render(request, "toolbox/tool_form.html", {"form": form, "commune": commune},
                  status=400 if form.errors else 200)


@login_required
def tool_edit(request, slug):
    tool = _tool(request, slug, "toolbox.change_tool")
    practice = tool.owner_commune_id is not None
    form = ToolForm(request.POST or None, practice=practice,
                    initial=None if request.method == "POST" else ToolForm.initial_from(tool))
    if request.method == "POST" and form.is_valid():
        services.tool_update(tool=tool, data=form.tool_data(), by=request.user)
        messages.success(request, _("Die Änderungen sind gespeichert."))
        return redirect("tool_detail", slug=tool.slug)
    return render(request, "toolbox/tool_form.html", {"form": form, "tool": tool,
                                                      "commune": tool.owner_commune},
                  status=400 if form.errors else 200)


STATUS_ACTIONS = {
    "submit": ("toolbox.submit_practice", services.practice_submit,
               "Das Praxisbeispiel ist zur Prüfung eingereicht."),
    "publish": ("toolbox.approve_tool", services.tool_publish,
                "Das Werkzeug ist veröffentlicht."),
    "retire": ("toolbox.retire_tool", services.tool_retire, "Das Werkzeug ist zurückgezogen."),
}


@login_required
@require_POST
def tool_status(request, slug, action):
    if action not in STATUS_ACTIONS:
        raise Http404
    perm, service, done = STATUS_ACTIONS[action]
    tool = _tool(request, slug, perm)
    try:
        service(tool=tool, by=request.user)
        messages.success(request, _(done))
    except services.ToolboxError as error:
        messages.error(request, str(error))
    return redirect("tool_detail", slug=tool.slug)


@login_required
@require_POST
def tool_return(request, slug):
    """The office sends a submitted practice back to its commune, saying what to change."""
    tool = _tool(request, slug, "toolbox.approve_tool")
    try:
        services.tool_return(tool=tool, by=request.user,
                             reason=request.POST.get("reason", "")[:1000])
        messages.success(request, _("Das Praxisbeispiel ist an die Kommune zurückgegeben."))
    except services.ToolboxError as error:
        messages.error(request, str(error))
    return redirect("tool_detail", slug=tool.slug)


@login_required
@require_POST
def tool_adopt(request, slug):
    tool = _tool(request, slug)
    form = AdoptForm(request.POST, communes=_my_communes(request.user))
    if form.is_valid():
        commune = form.cleaned_data["commune"]
        require(request, "toolbox.adopt_tool", commune)
        try:
            services.tool_adopt(tool=tool, commune=commune, by=request.user,
                                note=form.cleaned_data["note"])
            messages.success(request, _("Die Übernahme ist für %(name)s vermerkt.")
                             % {"name": commune.name})
            return redirect("tool_detail", slug=tool.slug)
        except services.ToolboxError as error:
            form.add_error(None, str(error))
    return tool_detail(request, slug, adopt_form=form, status=400)


@login_required
@require_POST
def tool_adopt_into_plan(request, slug):
    """ "In den Werkstattplan übernehmen": a new measure under a goal of the own plan."""
    tool = _tool(request, slug)
    form, communes, _choices = _plan_form(request, tool, request.POST)
    if not communes:
        raise PermissionDenied
    if form.is_valid():
        from zwk.plan.models import Goal

        goal = (Goal.objects.select_related("commune__programme")
                .filter(pk=form.cleaned_data["goal"], commune__in=communes).first())
        if goal is None:
            form.add_error("goal", _("Bitte wählen Sie ein Ziel aus dem Werkstattplan Ihrer "
                                     "Kommune."))
        else:
            require(request, "toolbox.adopt_tool", goal.commune)
            require(request, "plan.change_plan", goal.commune)
            try:
                adoption = services.tool_adopt_into_plan(
                    tool=tool, goal=goal, by=request.user, title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"])
            except services.ToolboxError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("„%(title)s“ steht jetzt als Maßnahme im "
                                            "Werkstattplan von %(name)s. Passen Sie sie an "
                                            "Ihre Kommune an.")
                                 % {"title": adoption.measure.title, "name": goal.commune.name})
                return redirect(reverse("plan_measure_edit",
                                        args=[goal.commune_id, adoption.measure_id]))
    return tool_detail(request, slug, plan_form=form, status=400)


@login_required
def practice_from_measure(request, pk, measure_pk):
    """ "Als gute Praxis teilen": a practice draft prefilled from a measure of the plan."""
    commune = visible_commune(request, pk)
    require(request, "toolbox.add_practice", commune)
    from zwk.plan.models import Measure

    measure = get_object_or_404(Measure.objects.select_related("goal__action_field", "commune"),
                                pk=measure_pk, commune=commune)
    shared = [t for t in selectors.practices_from_measure(measure=measure)
              if t.status != Tool.Status.RETIRED]
    if shared:
        messages.info(request, _("Diese Maßnahme ist bereits als gute Praxis geteilt."))
        return redirect("tool_detail", slug=shared[0].slug)
    form = PracticeFromMeasureForm(
        request.POST or None,
        initial=None if request.method == "POST" else selectors.practice_initial(measure=measure))
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.practice_share_from_measure(measure=measure, data=form.tool_data(),
                                                        by=request.user)
        except services.ToolboxError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ihr Praxisbeispiel ist als Entwurf gespeichert. Nur "
                                        "Ihre Kommune und die Geschäftsstelle sehen es. Reichen "
                                        "Sie es zur Prüfung ein, wenn es fertig ist."))
            return redirect("tool_detail", slug=tool.slug)
    return render(request, "toolbox/practice_from_measure.html", {
        "form": form, "commune": commune, "source_measure": measure,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def attachment_add(request, slug):
    tool = _tool(request, slug, "toolbox.change_tool")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(tool=tool, upload=form.cleaned_data["file"],
                                    title=form.cleaned_data["title"], by=request.user)
            messages.success(request, _("Die Datei ist angefügt."))
            return redirect("tool_detail", slug=tool.slug)
        except UploadRejected as error:
            form.add_error("file", str(error))
    return tool_detail(request, slug, attachment_form=form, status=400)


@login_required
def attachment_download(request, slug, attachment_pk):
    tool = _tool(request, slug)
    attachment = get_object_or_404(ToolAttachment, pk=attachment_pk, tool=tool)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@login_required
def review_queue(request):
    require(request, "toolbox.review_tools")
    offices = roles_of(request.user).office_programmes
    queue = selectors.review_queue()
    if not request.user.is_superuser:
        queue = [t for t in queue if t.owner_commune is None
                 or t.owner_commune.programme_id in offices]
    return render(request, "toolbox/review.html", {"queue": queue})  # usage: see usage()


@login_required
def commune_toolbox(request, pk):
    commune = visible_commune(request, pk)
    require(request, "toolbox.view_recommendations", commune)
    from zwk.profile.models import SwotItem
    from zwk.profile.selectors import swot_items_of

    items = [i for i in swot_items_of(commune=commune, statuses=[SwotItem.Status.ACCEPTED])
             if i.quadrant in (SwotItem.Quadrant.WEAKNESS, SwotItem.Quadrant.THREAT)]
    return render(request, "toolbox/commune.html", {
        "commune": commune,
        "recommendations": selectors.recommendations_for_swot(commune=commune, items=items),
        "practices": selectors.practices_of(commune=commune),
        "adoptions": commune.toolbox_adoptions.select_related("tool", "measure"),
        "can_add": request.user.has_perm("toolbox.add_practice", commune),
    })


@login_required
def exchange(request):
    require(request, "toolbox.view_exchange")
    from zwk.communes.selectors import programmes_managed_by

    query = request.GET.get("q", "").strip()[:200]
    return render(request, "toolbox/exchange.html", {
        "query": query,
        "groups": selectors.exchange(programmes=programmes_managed_by(user=request.user),
                                     query=query),
    })


# --- usage overview for the programme office ----------------------------------------------------

def _usage_scope(request):
    """The office's programmes; None (every programme) for a superuser."""
    from zwk.communes.selectors import programmes_managed_by

    return None if request.user.is_superuser else programmes_managed_by(user=request.user)


@login_required
def usage(request, fmt=""):
    """Which tools and practices are used where: per tool how often, by which communes (of the
    office's programmes), when, into which measure, and on which step it is recommended."""
    from zwk.toolbox import exports
    from zwk.toolbox.forms import UsageFilterForm

    require(request, "toolbox.view_usage")
    form = UsageFilterForm(request.GET or None)
    tools = selectors.usage(programmes=_usage_scope(request), f=form.usage_filter())
    if fmt:
        from django.http import HttpResponse

        base = request.build_absolute_uri("/").rstrip("/")
        if fmt == "csv":
            content, kind = exports.usage_csv(tools, base_url=base), "text/csv; charset=utf-8"
        elif fmt == "xlsx":
            content = exports.usage_xlsx(tools, base_url=base)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise Http404
        response = HttpResponse(content, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="werkzeugkoffer-nutzung.{fmt}"'
        return response
    page = Paginator(tools, 50).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    rows = [(t, exports.stage_titles(t)) for t in page.object_list]
    return render(request, "toolbox/usage.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        "all_programmes": request.user.is_superuser,
    }, status=400 if form.errors else 200)
