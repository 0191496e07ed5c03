"""The programme office's synopsis of all communes. Views in views_analysis.py.

Included under `programm/<slug:slug>/synopse/`.
"""

from django.urls import path

from zwk.profile import views_analysis as v

urlpatterns = [
    path("", v.synopsis, name="profile_synopsis"),
    path("synopse.xlsx", v.synopsis_xlsx, name="profile_synopsis_xlsx"),
]
