"""Warming the shared profile cache in a fresh, detached process (started by the demo loader).

This module imports nothing of Django at import time: it runs before Django is set up.
"""

from __future__ import annotations


def main(pks: list[str]) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwk.config.settings")
    django.setup()
    from zwk.communes.models import Commune
    from zwk.profile.views_analysis import warm_overviews

    warm_overviews(list(Commune.objects.filter(pk__in=[int(pk) for pk in pks])
                        .select_related("parent")))
