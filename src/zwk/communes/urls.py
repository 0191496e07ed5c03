from django.urls import path

from zwk.communes import views

urlpatterns = [
    path("programm/<slug:slug>/", views.portfolio, name="portfolio"),
    path("programm/<slug:slug>/kommunen/neu/", views.commune_create, name="commune_create"),
    path("kommunen/<int:pk>/", views.commune_detail, name="commune_detail"),
    path("kommunen/<int:pk>/bearbeiten/", views.commune_edit, name="commune_edit"),
    path("kommunen/<int:pk>/personen/", views.members, name="commune_members"),
    path("kommunen/<int:pk>/personen/<int:membership_pk>/entfernen/", views.membership_remove,
         name="membership_remove"),
    path("kommunen/<int:pk>/verlauf/", views.timeline, name="commune_timeline"),
]
