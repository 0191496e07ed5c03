"""Smoke: every page of the workshop renders, a participant joins, votes and polls."""

from django.urls import reverse

from zwk.workshop.models import *


def test_smoke(ws, cards, world, client, login):
    c = login(world, "coordinator")
    for name in ["workshop_console", "workshop_projector", "workshop_settings", "workshop_record_xlsx", "workshop_record_pdf", "workshop_qr"]:
        r = c.get(reverse(name, args=[world.commune.pk, ws.pk]))
        assert r.status_code == 200, (name, r.content[:3000])
    r = c.get(reverse("workshop_sessions", args=[world.commune.pk])); assert r.status_code == 200
    r = c.get(reverse("workshop_create", args=[world.commune.pk])); assert r.status_code == 200
    c.logout()
    r = c.get(reverse("workshop_join_code", args=[ws.code])); assert r.status_code == 200
    r = c.post(reverse("workshop_join_code", args=[ws.code]), {"display_name": "A", "age_band": "18-29"}); assert r.status_code == 302
    r = c.get(reverse("workshop_join_code", args=[ws.code])); assert r.status_code == 200, r.content
    assert b"Sie haben noch" in r.content
    r = c.post(reverse("workshop_vote", args=[ws.code]), {"card": cards[0].pk, "points": 2}); assert r.status_code == 302
    assert Vote.objects.get().points == 2
    r = c.get(reverse("workshop_stand", args=[ws.code]) + "?v=0"); assert r.status_code == 200
    v = r["X-Stand-Version"]
    r = c.get(reverse("workshop_stand", args=[ws.code]) + "?v=" + v); assert r.status_code == 204
