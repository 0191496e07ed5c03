import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zwk.communes.models import Commune
from zwk.process.stages import STAGE_TYPES
from zwk.toolbox.models import Tool, Topic
from zwk.toolbox.selectors import ToolFilter
from zwk.toolbox.services import ToolData

STAGE_CHOICES = [(k, f"{t.number}. {t.title}") for k, t in STAGE_TYPES.items()]
SIZE_CHOICES = [("", _("alle Größen")), ("2000", _("bis 5.000 Einwohner:innen")),
                ("10000", _("5.000 bis 20.000")), ("50000", _("20.000 bis 100.000")),
                ("200000", _("über 100.000"))]


def _any(label):
    return [("", label)]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Suchbegriff"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}))
    thema = forms.ChoiceField(label=_("Thema"), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False,
                            choices=_any(_("alle Arten")) + list(Tool.Type.choices))
    schritt = forms.ChoiceField(label=_("Prozessschritt"), required=False,
                                choices=_any(_("alle Schritte")) + STAGE_CHOICES)
    kommunenart = forms.ChoiceField(label=_("Art der Kommune"), required=False,
                                    choices=_any(_("alle")) + list(Commune.Kind.choices))
    groesse = forms.ChoiceField(label=_("Größe der Kommune"), required=False,
                                choices=SIZE_CHOICES)
    aufwand = forms.ChoiceField(label=_("Aufwand höchstens"), required=False,
                                choices=_any(_("beliebig")) + list(Tool.Effort.choices))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = _any(_("alle Themen")) + [
            (t.slug, t.name) for t in Topic.objects.all()]

    def tool_filter(self) -> ToolFilter:
        d = self.cleaned_data if self.is_valid() else {}
        size = d.get("groesse")
        return ToolFilter(query=d.get("q", ""), topic=d.get("thema", ""), type=d.get("art", ""),
                          stage=d.get("schritt", ""), kind=d.get("kommunenart", ""),
                          population=int(size) if size else None, effort=d.get("aufwand", ""))


FORMAT_HELP = _("Formatierung möglich: Leerzeile = neuer Absatz, „- “ = Aufzählung, „1. “ = "
                 "nummerierte Liste, **fett**, *kursiv*, [Linktext](https://…). "
                 "Siehe „Formatierung“ oben.")
RICH_FIELDS = ("summary", "problem", "steps", "outcome", "where_used")
_LINK_TARGET = re.compile(r"\[[^\]\n]+\]\(([^)\s]*)\)")


class ToolForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    type = forms.ChoiceField(label=_("Art"), choices=Tool.Type.choices)
    topics = forms.ModelMultipleChoiceField(label=_("Themen"), queryset=Topic.objects.all(),
                                            widget=forms.CheckboxSelectMultiple)
    stages = forms.MultipleChoiceField(label=_("Prozessschritte"), choices=STAGE_CHOICES,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    commune_kinds = forms.MultipleChoiceField(
        label=_("Passend für"), choices=Commune.Kind.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Nichts gewählt: für alle Arten."))
    min_population = forms.IntegerField(label=_("ab Einwohnerzahl"), required=False, min_value=0)
    max_population = forms.IntegerField(label=_("bis Einwohnerzahl"), required=False,
                                        min_value=0)
    summary = forms.CharField(label=_("Kurzbeschreibung"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text=FORMAT_HELP)
    problem = forms.CharField(label=_("Ausgangsproblem"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text=FORMAT_HELP)
    steps = forms.CharField(label=_("So gehen Sie vor (ein Schritt je Zeile)"), required=False,
                            max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Jede Zeile wird ein nummerierter Schritt; **fett**, "
                                        "*kursiv* und [Linktext](https://…) sind möglich."))
    outcome = forms.CharField(label=_("Ergebnis"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text=FORMAT_HELP)
    effort = forms.ChoiceField(label=_("Aufwand"), choices=Tool.Effort.choices,
                               initial=Tool.Effort.MEDIUM)
    effort_time = forms.CharField(label=_("Zeitaufwand"), required=False, max_length=200)
    effort_people = forms.CharField(label=_("Personal"), required=False, max_length=200)
    effort_money = forms.CharField(label=_("Kosten"), required=False, max_length=200)
    where_used = forms.CharField(label=_("Wo eingesetzt"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}), help_text=FORMAT_HELP)
    origin = forms.CharField(label=_("Herkunft"), required=False, max_length=300)
    contact = forms.CharField(label=_("Kontakt"), required=False, max_length=300)
    sources = forms.CharField(label=_("Quellen (eine je Zeile)"), required=False,
                              max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))
    keywords = forms.CharField(label=_("Schlagwörter"), required=False, max_length=300)

    def __init__(self, *args, practice: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if practice:
            del self.fields["type"]

    def clean(self):
        data = super().clean()
        lo, hi = data.get("min_population"), data.get("max_population")
        if lo is not None and hi is not None and lo > hi:
            self.add_error("max_population",
                           _("Die Obergrenze muss mindestens so groß sein wie die Untergrenze."))
        for name in RICH_FIELDS:
            for target in _LINK_TARGET.findall(data.get(name) or ""):
                if not target.lower().startswith(("https://", "http://", "mailto:")):
                    self.add_error(name, _("Ein Link muss mit https://, http:// oder mailto: "
                                           "beginnen, zum Beispiel [Stadt](https://www.stadt.de)."))
                    break
        for line in (data.get("sources") or "").splitlines():
            if line.strip() and not line.strip().startswith(("https://", "http://")):
                self.add_error("sources", _("Jede Quelle muss eine Webadresse sein, die mit "
                                            "https:// beginnt."))
                break
        return data

    def tool_data(self) -> ToolData:
        d = dict(self.cleaned_data)
        d["topics"] = list(d["topics"])
        d.setdefault("type", Tool.Type.PRACTICE)
        return ToolData(**d)

    @classmethod
    def initial_from(cls, tool: Tool) -> dict:
        initial = {name: getattr(tool, name) for name in cls.base_fields
                   if name not in ("topics", "stages", "commune_kinds")}
        initial.update(topics=list(tool.topics.all()), stages=tool.stage_keys,
                       commune_kinds=tool.kind_keys)
        return initial


class UsageFilterForm(forms.Form):
    """Filters and order of the usage overview (GET; unknown values give a German error)."""

    thema = forms.ChoiceField(label=_("Thema"), required=False)
    art = forms.ChoiceField(label=_("Art"), required=False,
                            choices=_any(_("alle Arten")) + list(Tool.Type.choices))
    genutzt = forms.ChoiceField(label=_("Übernommen"), required=False, choices=[
        ("", _("alle Werkzeuge")), ("ja", _("mindestens einmal übernommen")),
        ("nein", _("noch nie übernommen"))])
    sortierung = forms.ChoiceField(label=_("Sortierung"), required=False, choices=[
        ("haeufig", _("am häufigsten übernommen")), ("zuletzt", _("zuletzt übernommen")),
        ("titel", _("Titel A–Z")), ("art", _("Art"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = _any(_("alle Themen")) + [
            (t.slug, t.name) for t in Topic.objects.all()]

    def usage_filter(self):
        from zwk.toolbox.selectors import UsageFilter

        d = self.cleaned_data if self.is_valid() else {}
        return UsageFilter(topic=d.get("thema", ""), type=d.get("art", ""),
                           used=d.get("genutzt", ""), sort=d.get("sortierung") or "haeufig")


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Titel der Datei"), max_length=200, required=False)
    file = forms.FileField(label=_("Datei"))


class AdoptForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Für welche Kommune?"), queryset=Commune.objects.none(),
                                     empty_label=_("– Kommune wählen –"))
    note = forms.CharField(label=_("Notiz (optional)"), required=False, max_length=500)

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            pk__in=[c.pk for c in communes])


class PracticeFromMeasureForm(ToolForm):
    """The practice form for "Als gute Praxis teilen": outcome and contact are what other
    communes need most, so they are required here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, practice=True, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].label = _("Ergebnis: Was hat die Maßnahme bewirkt?")
        self.fields["contact"].required = True
        self.fields["contact"].label = _("Kontakt für andere Kommunen")
        self.fields["contact"].help_text = _("Vorschlag aus der Federführung der Maßnahme. "
                                             "Bitte nennen Sie eine Stelle oder Person mit "
                                             "E-Mail oder Telefon.")


class AdoptIntoPlanForm(forms.Form):
    """Which goal of the own Werkstattplan the adopted tool becomes a measure under."""

    goal = forms.TypedChoiceField(label=_("Unter welchem Ziel?"), coerce=int,
                                  error_messages={
        "required": _("Bitte wählen Sie ein Ziel."),
        "invalid_choice": _("Bitte wählen Sie ein Ziel aus dem Werkstattplan Ihrer Kommune.")})
    title = forms.CharField(label=_("Titel der neuen Maßnahme"), max_length=280)
    note = forms.CharField(label=_("Notiz zur Übernahme (optional)"), required=False,
                           max_length=500)

    def __init__(self, *args, goal_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("– Ziel wählen –")), *goal_choices]
