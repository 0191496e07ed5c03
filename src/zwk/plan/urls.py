"""URLs of the plan app."""

from django.urls import path

from zwk.plan import views, views_monitoring, views_statuses

base = "kommunen/<int:pk>/werkstattplan/"
urlpatterns = [
    path(base, views.outline, name="plan_outline"),
    path(base + "tabelle/", views.table, name="plan_table"),
    path(base + "ziele/neu/", views.goal_edit, name="plan_goal_create"),
    path(base + "ziele/<int:goal_pk>/", views.goal_edit, name="plan_goal_edit"),
    path(base + "massnahmen/neu/", views.measure_edit, name="plan_measure_create"),
    path(base + "massnahmen/<int:measure_pk>/", views.measure_edit, name="plan_measure_edit"),
    path(base + "<slug:kind>/<int:obj_pk>/verschieben/", views.move, name="plan_move"),
    path(base + "uebernahme/", views.takeover, name="plan_takeover"),
    path(base + "fassungen/", views.versions, name="plan_versions"),
    path(base + "fassungen/<int:number>/", views.version_detail, name="plan_version"),
    path(base + "vergleich/", views.compare, name="plan_compare"),
    path(base + "export.<slug:fmt>", views.export, name="plan_export"),
    path(base + "import/", views.import_plan, name="plan_import"),
    path(base + "zeitplan/", views_monitoring.timeline, name="plan_timeline"),
    path(base + "veroeffentlichen/", views.publish, name="plan_publish"),
    path("oeffentlich/werkstattplan/<int:pk>/", views.public_plan, name="plan_public"),
    path(base + "zwischenbilanz/", views_monitoring.reviews, name="plan_reviews"),
    path(base + "zwischenbilanz/<int:review_pk>/", views_monitoring.review_detail, name="plan_review"),
    path(base + "zwischenbilanz/<int:review_pk>/bericht.pdf", views_monitoring.review_pdf,
         name="plan_review_pdf"),
    path(base + "zwischenbilanz/<int:review_pk>/<slug:action>/", views_monitoring.review_action,
         name="plan_review_action"),
    path(base + "massnahmen/<int:measure_pk>/fortschritt/", views_monitoring.progress_log,
         name="plan_progress_log"),
    path(base + "massnahmen/<int:measure_pk>/meilensteine/neu/",
         views_monitoring.milestone_action, {"action": "neu"}, name="plan_milestone_add"),
    path(base + "massnahmen/<int:measure_pk>/meilensteine/<int:milestone_pk>/<slug:action>/",
         views_monitoring.milestone_action, name="plan_milestone"),
    path(base + "ziele/<int:goal_pk>/loeschen/", views.goal_delete, name="plan_goal_delete"),
    path(base + "ziele/<int:goal_pk>/messung/", views_monitoring.indicator_measure,
         name="plan_indicator_measure"),
    path(base + "ziele/<int:goal_pk>/aus-kommunalprofil/", views_monitoring.indicator_from_profile,
         name="plan_indicator_from_profile"),
    path("programm/<slug:slug>/massnahmen-status/", views_statuses.statuses,
         name="plan_statuses"),
    path("programm/<slug:slug>/massnahmen-status/<int:status_pk>/", views_statuses.status_edit,
         name="plan_status_edit"),
    path("programm/<slug:slug>/massnahmen-status/<int:status_pk>/<slug:action>/",
         views_statuses.status_action, name="plan_status_action"),
]
