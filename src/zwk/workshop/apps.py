from django.apps import AppConfig


class WorkshopConfig(AppConfig):
    name = "zwk.workshop"
    label = "workshop"
    verbose_name = "Zukunftswerkstatt"
