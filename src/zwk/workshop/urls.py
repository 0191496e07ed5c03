"""Zukunftswerkstatt: moderator, participant and projector views."""

from django.urls import path

from zwk.workshop import views
from zwk.workshop import views_participant as p

base = "kommunen/<int:pk>/werkstatt/"
one = base + "<int:sid>/"
urlpatterns = [
    path(base, views.session_list, name="workshop_sessions"),
    path(base + "neu/", views.session_create, name="workshop_create"),
    path(one, views.console, name="workshop_console"),
    path(one + "stand/", views.console_stand, name="workshop_console_stand"),
    path(one + "einstellungen/", views.session_settings, name="workshop_settings"),
    path(one + "steuerung/", views.control, name="workshop_control"),
    path(one + "karten/<int:card_pk>/", views.card_action, name="workshop_card"),
    path(one + "themen/", views.cluster_action, name="workshop_cluster_create"),
    path(one + "themen/<int:cluster_pk>/", views.cluster_action, name="workshop_cluster"),
    path(one + "analog/", views.analogue_card, name="workshop_analogue_card"),
    path(one + "uebergabe/", views.handover, name="workshop_handover"),
    path(one + "beamer/", views.projector, name="workshop_projector"),
    path(one + "beamer/stand/", views.projector_stand, name="workshop_projector_stand"),
    path(one + "qr.svg", views.qr_code, name="workshop_qr"),
    path(one + "protokoll.pdf", views.record_pdf, name="workshop_record_pdf"),
    path(one + "protokoll.xlsx", views.record_xlsx, name="workshop_record_xlsx"),
    path("w/", p.join, name="workshop_join"),
    path("w/<str:code>/", p.participate, name="workshop_join_code"),
    path("w/<str:code>/stand/", p.stand, name="workshop_stand"),
    path("w/<str:code>/karte/", p.card_submit, name="workshop_card_submit"),
    path("w/<str:code>/stimme/", p.vote, name="workshop_vote"),
    path("w/<str:code>/angaben/", p.profile, name="workshop_profile"),
    path("w/<str:code>/meine-daten.json", p.my_data, name="workshop_my_data"),
    path("w/<str:code>/meine-daten/loeschen/", p.my_data_delete, name="workshop_my_data_delete"),
]
