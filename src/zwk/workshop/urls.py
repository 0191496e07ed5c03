"""Zukunftswerkstatt: moderator, participant and projector views."""

urlpatterns: list = []
