"""The two checks every view makes: may this person see the commune, may they do this."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404


def visible_commune(request, pk: int):
    """The commune, if the person may see it; otherwise 404, so that the existence of other
    communes does not leak."""
    from zwk.communes.models import Commune

    commune = get_object_or_404(Commune.objects.select_related("programme", "parent"), pk=pk)
    if not request.user.has_perm("communes.view_commune", commune):
        raise Http404
    return commune


def require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
