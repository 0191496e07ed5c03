"""URLs of the toolbox app."""

from django.urls import path

from zwk.toolbox import views

urlpatterns = [
    path("werkzeugkoffer/", views.toolbox_index, name="toolbox_index"),
    path("werkzeugkoffer/neu/", views.tool_create, name="tool_create"),
    path("werkzeugkoffer/pruefung/", views.review_queue, name="toolbox_review"),
    path("werkzeugkoffer/austausch/", views.exchange, name="toolbox_exchange"),
    path("werkzeugkoffer/nutzung/", views.usage, name="toolbox_usage"),
    path("werkzeugkoffer/nutzung/export.<slug:fmt>", views.usage, name="toolbox_usage_export"),
    path("werkzeugkoffer/w/<slug:slug>/", views.tool_detail, name="tool_detail"),
    path("werkzeugkoffer/w/<slug:slug>/bearbeiten/", views.tool_edit, name="tool_edit"),
    path("werkzeugkoffer/w/<slug:slug>/status/<slug:action>/", views.tool_status,
         name="tool_status"),
    path("werkzeugkoffer/w/<slug:slug>/zurueckgeben/", views.tool_return, name="tool_return"),
    path("werkzeugkoffer/w/<slug:slug>/uebernehmen/", views.tool_adopt, name="tool_adopt"),
    path("werkzeugkoffer/w/<slug:slug>/in-den-werkstattplan/", views.tool_adopt_into_plan,
         name="tool_adopt_into_plan"),
    path("werkzeugkoffer/w/<slug:slug>/dateien/", views.attachment_add, name="tool_attachment_add"),
    path("werkzeugkoffer/w/<slug:slug>/dateien/<int:attachment_pk>/", views.attachment_download,
         name="tool_attachment"),
    path("kommunen/<int:pk>/werkzeugkoffer/", views.commune_toolbox, name="commune_toolbox"),
    path("kommunen/<int:pk>/werkzeugkoffer/praxis/neu/", views.practice_create,
         name="practice_create"),
    path("kommunen/<int:pk>/werkzeugkoffer/praxis/aus-massnahme/<int:measure_pk>/",
         views.practice_from_measure, name="practice_from_measure"),
]
