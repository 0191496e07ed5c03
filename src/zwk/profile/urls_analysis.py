"""Data, indicators, charts, projection, towns, typology, PDF/DOCX. Views in views_analysis.py.

Included under `kommunen/<int:pk>/profil/`.
"""

from django.urls import path

from zwk.profile import views_analysis as v
from zwk.profile import views_data_guide as guide

urlpatterns = [
    path("", v.overview, name="profile_overview"),
    path("grafik/<slug:key>.<str:fmt>", v.chart_download, name="profile_chart"),
    path("daten/", v.data_sources, name="profile_data"),
    path("daten/abruf/", v.data_fetch, name="profile_data_fetch"),
    path("daten/anleitung/", guide.data_guide, name="profile_data_guide"),
    path("daten/pruefen/", guide.data_check, name="profile_data_check"),
    path("daten/vorlage-melderegister.csv", guide.data_template, name="profile_data_template"),
    path("daten/<int:source_pk>/entfernen/", v.data_remove, name="profile_data_remove"),
    path("daten/vergleich/", v.comparison, name="profile_comparison"),
    path("prognose/", v.projection, name="profile_projection"),
    path("prognose/speichern/", v.scenario_save, name="profile_scenario_save"),
    path("prognose/<int:scenario_pk>/loeschen/", v.scenario_delete,
         name="profile_scenario_delete"),
    path("staedte/", v.towns, name="profile_towns"),
    path("kommunalprofil.pdf", v.report_pdf, name="profile_pdf"),
    path("kommunalprofil.docx", v.report_docx, name="profile_docx"),
]
