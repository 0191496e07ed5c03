from django.apps import AppConfig


class ToolboxConfig(AppConfig):
    name = "zwk.toolbox"
    label = "toolbox"
    verbose_name = "Werkzeugkoffer"
