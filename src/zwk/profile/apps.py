from django.apps import AppConfig


class ProfileConfig(AppConfig):
    name = "zwk.profile"
    label = "profile"
    verbose_name = "Kommunalprofil"
