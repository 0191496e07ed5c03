from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zwk.communes.keys import LAENDER
from zwk.communes.models import Commune, Membership
from zwk.communes.services import CommuneData, Invitation


class CommuneForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=Commune.Kind.choices)
    land = forms.ChoiceField(label=_("Land"), choices=[("", "—")] + sorted(LAENDER.items()))
    ags = forms.CharField(
        label=_("Gemeindeschlüssel (AGS)"), required=False, max_length=8,
        help_text=_("8 Ziffern für Gemeinden und Städte, 5 für Landkreise, z. B. 05958004"))
    ars = forms.CharField(label=_("Regionalschlüssel (ARS)"), required=False, max_length=12,
                          help_text=_("12 Ziffern, optional"))
    parent = forms.ModelChoiceField(label=_("gehört zu"), required=False, queryset=Commune.objects.none(),
                                    empty_label=_("– keinem Kreis –"))
    cluster = forms.ChoiceField(label=_("Regionalcluster"), required=False,
                                choices=[("", "—")] + list(Commune.Cluster.choices))
    population = forms.IntegerField(label=_("Einwohnerzahl"), required=False, min_value=0)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = programme.communes.filter(
            kind__in=[Commune.Kind.KREIS, Commune.Kind.VERBUND, Commune.Kind.STADT,
                      Commune.Kind.GEMEINDE]).order_by("name")

    def clean_ags(self):
        return self.cleaned_data["ags"].strip()

    def clean_ars(self):
        return self.cleaned_data["ars"].strip()

    def commune_data(self) -> CommuneData:
        d = self.cleaned_data
        return CommuneData(name=d["name"], kind=d["kind"], land=d["land"], ags=d["ags"],
                           ars=d["ars"], parent=d["parent"], cluster=d["cluster"],
                           population=d["population"])

    @classmethod
    def initial_for(cls, commune: Commune) -> dict:
        return {f: getattr(commune, f) for f in ("name", "kind", "land", "ags", "ars", "parent",
                                                 "cluster", "population")}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in roles]

    def invitation(self) -> Invitation:
        d = self.cleaned_data
        return Invitation(email=d["email"], first_name=d["first_name"],
                          last_name=d["last_name"], role=d["role"])


class AssignConsultantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Berater:in"), queryset=get_user_model().objects.none(),
                                  empty_label=_("– Berater:in wählen –"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=_("Name enthält"), required=False)
    consultant = forms.ModelChoiceField(label=_("Berater:in"), required=False,
                                        queryset=get_user_model().objects.none(),
                                        empty_label=_("alle"))
    land = forms.ChoiceField(label=_("Land"), required=False,
                             choices=[("", _("alle"))] + sorted(LAENDER.items()))
    cluster = forms.ChoiceField(label=_("Cluster"), required=False,
                                choices=[("", _("alle"))] + list(Commune.Cluster.choices))
    stage = forms.ChoiceField(label=_("Aktueller Schritt"), required=False)
    signal = forms.ChoiceField(label=_("Ampel"), required=False)

    def __init__(self, *args, consultants, **kwargs):
        from zwk.process.selectors import SIGNAL_LABELS
        from zwk.process.stages import STAGE_CHOICES

        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultants
        self.fields["stage"].choices = [("", _("alle"))] + STAGE_CHOICES + [
            ("finished", _("alle Schritte abgeschlossen"))]
        self.fields["signal"].choices = [("", _("alle"))] + [
            (key, label) for key, (label, _level) in SIGNAL_LABELS.items()]
