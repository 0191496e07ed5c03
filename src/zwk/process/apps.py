from django.apps import AppConfig


class ProcessConfig(AppConfig):
    name = "zwk.process"
    label = "process"
    verbose_name = "Prozess"
