from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zwk.accounts"
    label = "accounts"
    verbose_name = "Konten"
