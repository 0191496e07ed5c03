from django.urls import path

from zwk.process import views

stage = "kommunen/<int:pk>/schritte/<slug:key>/"
urlpatterns = [
    path(stage, views.stage_detail, name="stage_detail"),
    path(stage + "checkliste/<slug:item>/", views.checklist_toggle, name="checklist_toggle"),
    path(stage + "termine/", views.stage_dates, name="stage_dates"),
    path(stage + "blockade/", views.stage_block, name="stage_block"),
    path(stage + "abschliessen/", views.stage_complete, name="stage_complete"),
    path(stage + "wieder-oeffnen/", views.stage_reopen, name="stage_reopen"),
    path(stage + "veranstaltungen/neu/", views.meeting_create, name="meeting_create"),
    path(stage + "dokumente/", views.document_upload, name="document_upload"),
    path(stage + "beschluesse/", views.decision_create, name="decision_create"),
    path("kommunen/<int:pk>/veranstaltungen/<int:meeting_pk>/", views.meeting_detail,
         name="meeting_detail"),
    path("kommunen/<int:pk>/veranstaltungen/<int:meeting_pk>/bearbeiten/", views.meeting_edit,
         name="meeting_edit"),
    path("kommunen/<int:pk>/dokumente/<int:document_pk>/", views.document_download,
         name="document_download"),
]
