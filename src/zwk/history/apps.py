from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "zwk.history"
    label = "history"
    verbose_name = "Verlauf"
