from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zwk.core"
    label = "core"
    verbose_name = "ZWK"
