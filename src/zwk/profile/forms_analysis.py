"""Forms of the analysis pages: data upload, API fetch, comparison regions, scenarios."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zwk.demography import AssumptionError
from zwk.demography.projection import SCENARIOS
from zwk.profile import data
from zwk.profile.analysis import MAX_HORIZON, scenario_for
from zwk.profile.models import DataSource


class DataUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datei"),
        help_text=_("GENESIS-Flatfile (CSV oder ZIP, alt oder neu), Tabellen-Download "
                    "(„GENESIS-Tabelle“) oder Melderegister-Auszug als CSV; höchstens 50 MB."))
    title = forms.CharField(label=_("Titel (freiwillig)"), max_length=200, required=False)
    replacing = forms.ModelChoiceField(
        label=_("Ersetzt den Datensatz"), queryset=DataSource.objects.none(), required=False,
        empty_label=_("– keinen, zusätzlich laden –"))

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacing"].queryset = commune.data_sources.all()


class ApiFetchForm(forms.Form):
    table = forms.ChoiceField(label=_("Tabelle der Regionaldatenbank"),
                              choices=[(k, f"{k} – {v}") for k, v in data.API_TABLES.items()])


class ComparisonForm(forms.Form):
    regions = forms.MultipleChoiceField(label=_("Vergleichsregionen"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [
            (c["ags"], f"{c['name']} ({c['ags']})" + ("" if c["has_data"] else
                                                      " – noch keine Daten"))
            for c in candidates]


# Form field → engine assumption(s). One life-expectancy field sets both sexes.
ASSUMPTION_FIELDS = {
    "fertility_factor": ("fertility_factor",),
    "e0_gain": ("e0_gain_male", "e0_gain_female"),
    "in_migration_factor": ("in_migration_factor",),
    "out_migration_factor": ("out_migration_factor",),
}


class ScenarioForm(forms.Form):
    preset = forms.ChoiceField(label=_("Ausgangsvariante"),
                               choices=[(k, s.label) for k, s in SCENARIOS.items()],
                               initial="basis")
    horizon = forms.IntegerField(label=_("Zieljahr"), initial=2040, max_value=MAX_HORIZON,
                                 help_text=_("Bis höchstens 2050."))
    fertility_factor = forms.FloatField(
        label=_("Geburtenniveau (Faktor)"), required=False, localize=True,
        help_text=_("1 = wie bisher vor Ort; 0,9 = zehn Prozent weniger Geburten je Frau. "
                    "Leer lassen: Wert der Ausgangsvariante."))
    e0_gain = forms.FloatField(
        label=_("Anstieg der Lebenserwartung (Jahre je Jahrzehnt)"), required=False,
        localize=True, help_text=_("Zum Beispiel 1,0; zwischen −2 und +4. Leer lassen: Wert "
                                   "der Ausgangsvariante."))
    in_migration_factor = forms.FloatField(
        label=_("Zuzüge (Faktor)"), required=False, localize=True,
        help_text=_("1 = so viele Zuzüge wie in den letzten Jahren; 1,2 = 20 Prozent mehr."))
    out_migration_factor = forms.FloatField(
        label=_("Fortzüge (Faktor)"), required=False, localize=True,
        help_text=_("1 = Fortzugsraten wie bisher."))

    def __init__(self, *args, base_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_year = base_year
        if base_year is not None:
            horizon = self.fields["horizon"]
            assert isinstance(horizon, forms.IntegerField)
            horizon.min_value = base_year + 1
            self.fields["horizon"].widget.attrs["min"] = base_year + 1
            self.fields["horizon"].help_text = _("Zwischen %(a)s und %(b)s.") % {
                "a": base_year + 1, "b": MAX_HORIZON}

    def clean_horizon(self):
        horizon = self.cleaned_data["horizon"]
        if self.base_year is not None and horizon <= self.base_year:
            raise forms.ValidationError(
                _("Das Zieljahr muss nach dem letzten Datenjahr %(y)s liegen.")
                % {"y": self.base_year})
        return horizon

    def parameters(self) -> dict:
        """The engine assumptions the user set (empty fields keep the preset's values)."""
        values = {}
        for name, targets in ASSUMPTION_FIELDS.items():
            value = self.cleaned_data.get(name)
            if value is not None:
                for target in targets:
                    values[target] = value
        return values

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("preset")
        if not preset:
            return cleaned
        ok = True
        for name, targets in ASSUMPTION_FIELDS.items():       # errors at the field itself
            value = cleaned.get(name)
            if value is None:
                continue
            try:
                scenario_for(preset, {t: value for t in targets})
            except AssumptionError as error:
                self.add_error(name, str(error))
                ok = False
        if ok:
            try:
                self.scenario = scenario_for(preset, self.parameters())
            except AssumptionError as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned


class ScenarioSaveForm(ScenarioForm):
    name = forms.CharField(label=_("Name des Szenarios"), max_length=120)

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.commune = commune

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.commune.scenarios.filter(name=name).exists():
            raise forms.ValidationError(_("Ein Szenario mit diesem Namen gibt es schon."))
        return name
