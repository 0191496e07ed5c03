from django.contrib.auth import views as auth
from django.urls import path

from zwk.accounts import views

urlpatterns = [
    path("anmelden/", auth.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("abmelden/", auth.LogoutView.as_view(), name="logout"),
    path("passwort/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("passwort/geaendert/", auth.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("passwort/vergessen/", views.ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("passwort/vergessen/gesendet/", auth.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("passwort/neu/fertig/", auth.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("", views.account, name="account"),
    path("daten.json", views.account_export, name="account_export"),
    path("loeschen/", views.account_delete, name="account_delete"),
    path("programm/<slug:slug>/personen/", views.people, name="programme_people"),
    path("programm/<slug:slug>/personen/<int:user_pk>/entsperren/", views.person_unlock,
         name="person_unlock"),
    path("programm/<slug:slug>/personen/<int:user_pk>/daten.json", views.person_export,
         name="person_export"),
    path("programm/<slug:slug>/personen/<int:user_pk>/loeschen/", views.person_delete,
         name="person_delete"),
]
