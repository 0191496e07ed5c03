from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "zwk.plan"
    label = "plan"
    verbose_name = "Werkstattplan"
