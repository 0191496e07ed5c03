"""Warming the shared profile cache in a fresh, spawned process.

This module imports nothing of Django at import time: `multiprocessing`'s spawn start method
imports it in a new interpreter before Django is set up.
"""

from __future__ import annotations


def warm_profiles_in_fresh_process(pks: list[int]) -> None:
    import django

    django.setup()
    from zwk.communes.models import Commune
    from zwk.profile.views_analysis import warm_overviews

    warm_overviews(list(Commune.objects.filter(pk__in=pks).select_related("parent")))
