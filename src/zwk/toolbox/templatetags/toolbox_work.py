"""The toolbox where the work happens: recommendations beside SWOT items and Handlungsfelder,
and the good-practice links of a measure. Pages include one template per spot; the tags
compute everything for the whole page once per request, so a SWOT with 40 items or a plan with
15 Handlungsfelder costs the same few queries as one."""

from __future__ import annotations

from django import template

from zwk.toolbox import selectors

register = template.Library()

CACHE = "_zwk_toolbox_work"


def _cached(context, key, compute):
    """One computation per request and key; without a request (e.g. a rendered string), none
    is shared."""
    request = context.get("request")
    if request is None:
        return compute()
    cache = request.__dict__.setdefault(CACHE, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _commune(context, commune_id):
    """The page's commune (every commune page has one in its context): no query per item."""
    commune = context.get("commune")
    return commune if commune is not None and commune.pk == commune_id else None


def _may_see(context, commune) -> bool:
    user = context.get("user")
    return commune is not None and user is not None \
        and user.has_perm("toolbox.view_recommendations", commune)


@register.simple_tag(takes_context=True)
def swot_tools(context, item):
    """The ranked tools for one accepted weakness or threat; None for other items and for
    people who may not see recommendations."""
    if item.quadrant not in ("weakness", "threat") or item.status != "accepted":
        return None
    commune = _commune(context, item.commune_id)
    if not _may_see(context, commune):
        return None

    def compute():
        from zwk.profile.models import SwotItem
        from zwk.profile.selectors import swot_items_of

        items = swot_items_of(commune=commune, statuses=[SwotItem.Status.ACCEPTED])
        return selectors.swot_recommendations(commune=commune, items=items)

    return _cached(context, ("swot", commune.pk), compute).get(item.pk, [])


@register.simple_tag(takes_context=True)
def adopted_tool_ids(context, commune_id) -> frozenset[int]:
    """The tools the page's commune has adopted (one query per request), to mark them."""
    commune = _commune(context, commune_id)
    if commune is None:
        return frozenset()
    return _cached(context, ("adopted", commune.pk),
                   lambda: selectors.adopted_tool_ids(commune=commune))


@register.simple_tag(takes_context=True)
def plan_field_tools(context, action_field):
    """Recommendations and adopted measures for one Handlungsfeld of the plan."""
    commune = _commune(context, action_field.commune_id)
    if not _may_see(context, commune):
        return None
    recs = _cached(context, ("plan", commune.pk),
                   lambda: selectors.recommendations_for_plan(commune=commune))
    return recs.get(action_field.pk)


@register.simple_tag(takes_context=True)
def measure_practice(context, measure):
    """What the measure page shows about the toolbox: the practice(s) shared from it, the
    tool it was adopted from, and whether this person may share it."""
    if measure is None or measure.pk is None:
        return None
    user = context.get("user")
    commune = _commune(context, measure.commune_id)
    if commune is None:
        return None
    practices = selectors.practices_from_measure(measure=measure)
    adoption = selectors.adoption_of_measure(measure=measure)
    active = [p for p in practices if p.status != "retired"]
    return {
        "practices": practices,
        "adoption": adoption,
        "can_share": (user is not None and not active and adoption is None
                      and user.has_perm("toolbox.add_practice", commune)),
    }
