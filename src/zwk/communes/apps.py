from django.apps import AppConfig


class CommunesConfig(AppConfig):
    name = "zwk.communes"
    label = "communes"
    verbose_name = "Kommunen"
