from django.urls import include, path

base = "kommunen/<int:pk>/profil/"
urlpatterns = [
    path(base, include("zwk.profile.urls_analysis")),
    path(base, include("zwk.profile.urls_qualitative")),
    path("programm/<slug:slug>/synopse/", include("zwk.profile.urls_synopsis")),
]
