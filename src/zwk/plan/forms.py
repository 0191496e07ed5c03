from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zwk.core.concurrency import version_field
from zwk.core.forms import plain_empty_choices
from zwk.plan.models import Goal, Measure, MeasureStatus


def _indicator_choices():
    from zwk.profile.analysis import INDICATORS

    return [("", _("– keine –"))] + [(i.key, i.label) for i in INDICATORS]


class GoalForm(forms.ModelForm):
    version = version_field()

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
        self.fields["parent"].empty_label = _("– keines (oberste Ebene) –")
        plain_empty_choices(self)


LINK_FIELDS = ("cards", "swot_items", "inventory_entries")
FOREIGN_LINK = _("Eine gewählte Verknüpfung gehört nicht zu dieser Kommune oder kann nicht mehr "
                 "gewählt werden. Es wurde nichts gespeichert.")


class MeasureForm(forms.ModelForm):
    """A measure with its links. The links (workshop cards, SWOT items, inventory entries) are
    checkboxes grouped by workshop/cluster, SWOT quadrant and inventory; the choices come from
    selectors.link_choices (this commune only) and are rendered by measure_form.html."""

    version = version_field()

    class Meta:
        model = Measure
        fields = ["goal", "title", "description", "target_groups", "lead", "partners", "start",
                  "end", "budget", "funding_source", "status", "progress_override", "priority",
                  "weight", "dependencies", "cards", "swot_items", "inventory_entries"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, commune, **kwargs):
        from zwk.plan.selectors import link_choices
        from zwk.profile.models import InventoryEntry, SwotItem
        from zwk.workshop.models import Card

        super().__init__(*args, **kwargs)
        goals = Goal.objects.filter(commune=commune).select_related("action_field")
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda g: f"{g.action_field.name}: {g.title}"
        statuses = MeasureStatus.objects.filter(programme=commune.programme)
        if self.instance.pk:
            statuses = statuses.filter(Q(is_active=True) | Q(pk=self.instance.status_id))
        else:
            statuses = statuses.filter(is_active=True)
        self.fields["status"].queryset = statuses
        deps = Measure.objects.filter(commune=commune)
        if self.instance.pk:
            deps = deps.exclude(pk=self.instance.pk)
        self.fields["dependencies"].queryset = deps
        self.links = link_choices(commune, measure=self.instance if self.instance.pk else None)
        models = {"cards": Card, "swot_items": SwotItem, "inventory_entries": InventoryEntry}
        for name in LINK_FIELDS:
            field = self.fields[name]
            field.queryset = models[name].objects.filter(pk__in=self.links["ids"][name])
            field.widget = forms.CheckboxSelectMultiple()
            field.error_messages["invalid_choice"] = FOREIGN_LINK
            field.error_messages["invalid_pk_value"] = FOREIGN_LINK
        self.fields["progress_override"].help_text = _(
            "Leer lassen, dann gilt der Fortschritt des Status.")
        plain_empty_choices(self)

    def main_fields(self):
        return [f for f in self.visible_fields() if f.name not in LINK_FIELDS]

    def link_field(self, name):
        return self[name]

    def selected(self) -> dict[str, set[str]]:
        """The chosen link ids as strings: from the submitted data, else from the measure."""
        if self.is_bound:
            return {n: set(self.data.getlist(n)) if hasattr(self.data, "getlist")
                    else {str(v) for v in self.data.get(n, [])} for n in LINK_FIELDS}
        return {n: {str(pk) for pk in self.links["linked"][n]} for n in LINK_FIELDS}


class StatusForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    default_progress = forms.IntegerField(
        label=_("Fortschritt in % (Vorgabe)"), min_value=0, max_value=100,
        error_messages={"min_value": _("Der Fortschritt muss zwischen 0 und 100 liegen."),
                        "max_value": _("Der Fortschritt muss zwischen 0 und 100 liegen."),
                        "invalid": _("Bitte geben Sie eine ganze Zahl zwischen 0 und 100 ein.")})
    chart_key = forms.ChoiceField(label=_("Farbe im Zeitplan"), choices=[
        ("geplant", _("grau (geplant)")), ("laufend", _("blau (laufend)")),
        ("verzögert", _("orange (verzögert)")), ("abgeschlossen", _("grün (abgeschlossen)")),
        ("gestoppt", _("rot (gestoppt)")), ("neu", _("violett (neu)"))], initial="laufend")


class AdoptForm(forms.Form):
    label = forms.CharField(label=_("Bezeichnung"), max_length=200,
                            initial=_("Beschlossener Werkstattplan"))
    adopted_on = forms.DateField(label=_("Beschlossen am"), initial=timezone.localdate,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    resolution = forms.CharField(label=_("Beschluss-Nr. (z. B. des Gemeinderats)"),
                                 max_length=100, required=False)
