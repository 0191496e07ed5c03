from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zwk.plan.models import Goal, Measure, MeasureStatus


def _indicator_choices():
    from zwk.profile.analysis import INDICATORS

    return [("", _("– keine –"))] + [(i.key, i.label) for i in INDICATORS]


class GoalForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Goal
        fields = ["action_field", "parent", "title", "description", "weight", "indicator_key",
                  "indicator_name", "indicator_unit", "indicator_source", "baseline_value",
                  "baseline_year", "target_value", "target_date", "swot_items"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = commune.action_fields.all()
        parents = Goal.objects.filter(commune=commune).select_related("action_field")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].label_from_instance = lambda g: f"{g.action_field.name}: {g.title}"
        self.fields["swot_items"].queryset = commune.swot_items.filter(status="accepted")
        self.fields["indicator_key"] = forms.ChoiceField(
            label=_("Kennzahl aus dem Kommunalprofil"), choices=_indicator_choices(),
            required=False)
        self.fields["weight"].help_text = _("Wie stark das Ziel in den Fortschritt des "
                                            "Handlungsfelds oder Oberziels eingeht.")


class MeasureForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = ["goal", "title", "description", "target_groups", "lead", "partners", "start",
                  "end", "budget", "funding_source", "status", "progress_override", "priority",
                  "weight", "dependencies", "swot_items", "inventory_entries"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        goals = Goal.objects.filter(commune=commune).select_related("action_field")
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda g: f"{g.action_field.name}: {g.title}"
        self.fields["status"].queryset = MeasureStatus.objects.filter(
            programme=commune.programme)
        deps = Measure.objects.filter(commune=commune)
        if self.instance.pk:
            deps = deps.exclude(pk=self.instance.pk)
        self.fields["dependencies"].queryset = deps
        self.fields["swot_items"].queryset = commune.swot_items.filter(status="accepted")
        self.fields["inventory_entries"].queryset = commune.inventory.all()
        self.fields["progress_override"].help_text = _(
            "Leer lassen, dann gilt der Fortschritt des Status.")


class AdoptForm(forms.Form):
    label = forms.CharField(label=_("Bezeichnung"), max_length=200,
                            initial=_("Beschlossener Werkstattplan"))
    adopted_on = forms.DateField(label=_("Beschlossen am"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    resolution = forms.CharField(label=_("Beschluss-Nr. (z. B. des Gemeinderats)"),
                                 max_length=100, required=False)
