from django.contrib.auth import views as auth
from django.urls import path

urlpatterns = [
    path("anmelden/", auth.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("abmelden/", auth.LogoutView.as_view(), name="logout"),
    path("passwort/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("passwort/geaendert/", auth.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("passwort/vergessen/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("passwort/vergessen/gesendet/", auth.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("passwort/neu/fertig/", auth.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
