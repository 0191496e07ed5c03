"""Forms of the qualitative profile. Querysets are limited to the commune, so an ID of another
commune is a field error, never a link across communes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zwk.communes.models import ActionField
from zwk.core.concurrency import version_field
from zwk.process.forms import DateInput
from zwk.profile import names, selectors, services
from zwk.profile.models import InterviewStatement, InventoryEntry, SwotItem


class ActionFieldsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class InventoryForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art"), choices=InventoryEntry.Kind.choices)
    status = forms.ChoiceField(label=_("Status"), choices=InventoryEntry.Status.choices,
                               initial=InventoryEntry.Status.RUNNING)
    action_fields = ActionFieldsField(label=_("Handlungsfelder"), queryset=None, required=False)
    responsible = forms.CharField(label=_("Verantwortlich (Stelle oder Einrichtung)"),
                                  max_length=200, required=False,
                                  help_text=_("Bitte eine Stelle oder Einrichtung, keine "
                                              "Personennamen."))
    description = forms.CharField(label=_("Beschreibung"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https",
                         help_text=_("z. B. https://www.beispiel.de/projekt"))
    attachment = forms.FileField(label=_("Anhang"), required=False, help_text=_(
        "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV oder Text"))
    remove_attachment = forms.BooleanField(label=_("Vorhandenen Anhang entfernen"),
                                           required=False)
    version = version_field()

    def __init__(self, *args, commune, entry=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_fields"].queryset = selectors.action_fields_of(commune=commune)
        if entry is None or not entry.attachment:
            del self.fields["remove_attachment"]

    def data_object(self) -> services.InventoryData:
        c = self.cleaned_data
        return services.InventoryData(
            title=c["title"], kind=c["kind"], description=c["description"], status=c["status"],
            responsible=c["responsible"], url=c["url"], action_fields=list(c["action_fields"]))


class StatementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InterviewStatement) -> str:
        return f"{obj.interview.role}: {obj.text[:80]}"


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InventoryEntry) -> str:
        return obj.title


class InventoryFilterForm(forms.Form):
    action_field: forms.ModelChoiceField[ActionField] = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=None,
                                          required=False, empty_label=_("alle"))
    kind = forms.ChoiceField(label=_("Art"), required=False,
                             choices=[("", _("alle")), *InventoryEntry.Kind.choices])

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = selectors.action_fields_of(commune=commune)
        self.fields["action_field"].label_from_instance = lambda obj: obj.name


class GuideForm(forms.Form):
    questions = forms.CharField(label=_("Fragen (eine pro Zeile)"), max_length=20000,
                                widget=forms.Textarea(attrs={"rows": 14}))
    version = version_field()


NAME_HINT = _("Das sieht nach einem Personennamen aus. Bitte tragen Sie nur die Rolle oder "
              "Institution ein, z. B. „Leitung Kita“ – Interviews werden ohne Namen "
              "dokumentiert.")


class InterviewForm(forms.Form):
    role = forms.CharField(label=_("Rolle oder Institution"), max_length=200, help_text=_(
        "z. B. „Leitung einer Kita“ oder „Vorstand Sportverein“ – keine Namen."))
    held_on = forms.DateField(label=_("Datum"), widget=DateInput())
    summary = forms.CharField(label=_("Zusammenfassung"), required=False, max_length=20000,
                              widget=forms.Textarea(attrs={"rows": 5}), help_text=_(
                                  "Ohne Namen und ohne Angaben, die auf einzelne Personen "
                                  "schließen lassen."))

    role_is_no_name = forms.BooleanField(
        label=_("Die Angabe ist eine Rolle oder Institution, kein Personenname"), required=False,
        widget=forms.HiddenInput)
    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # live hint while typing (zwk.js); the check in clean() works without JavaScript
        self.fields["role"].widget.attrs.update({"data-name-pattern": names.browser_pattern(),
                                                 "data-name-hint": NAME_HINT})

    def clean(self):
        cleaned = super().clean()
        if names.looks_like_name(cleaned.get("role", "")) and not cleaned.get("role_is_no_name"):
            self.add_error("role", NAME_HINT + " " + str(_(
                "Wenn es kein Name ist, bestätigen Sie das mit dem Häkchen unten.")))
            self.fields["role_is_no_name"].widget = forms.CheckboxInput()
        return cleaned

    def data_object(self) -> services.InterviewData:
        c = self.cleaned_data
        return services.InterviewData(role=c["role"], held_on=c["held_on"], summary=c["summary"])


class StatementForm(forms.Form):
    action_field: forms.ModelChoiceField[ActionField] = forms.ModelChoiceField(label=_("Handlungsfeld"), queryset=None,
                                          required=False, empty_label=_("ohne Zuordnung"))
    text = forms.CharField(label=_("Kernaussage"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_field"].queryset = selectors.action_fields_of(commune=commune)
        self.fields["action_field"].label_from_instance = lambda obj: obj.name


class SwotForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("Feld"), choices=SwotItem.Quadrant.choices)
    text = forms.CharField(label=_("Aussage"), max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Kurz und in Stichworten, höchstens 300 Zeichen."))
    action_fields = ActionFieldsField(label=_("Handlungsfelder"), queryset=None, required=False)
    indicator_key = forms.ChoiceField(label=_("Beleg: Kennzahl"), required=False)
    interview_statement: StatementChoiceField = StatementChoiceField(
                                                 label=_("Beleg: Interviewaussage"),
                                                 queryset=None, required=False,
                                                 empty_label=_("keine"))
    inventory_entry: EntryChoiceField = EntryChoiceField(
                                             label=_("Beleg: Eintrag der Bestandsaufnahme"),
                                             queryset=None, required=False,
                                             empty_label=_("keiner"))
    version = version_field()

    INDICATORS = (
        ("", _("keine")),
        ("bevoelkerung", _("Bevölkerung")),
        ("veraenderung_prozent", _("Bevölkerungsveränderung seit Basisjahr")),
        ("medianalter", _("Medianalter")),
        ("jugendquotient", _("Jugendquotient")),
        ("altenquotient", _("Altenquotient")),
        ("anteil_unter_18", _("Anteil unter 18 Jahren")),
        ("anteil_65_plus", _("Anteil 65 Jahre und älter")),
        ("anteil_80_plus", _("Anteil 80 Jahre und älter")),
        ("geburten_je_1000", _("Geburten je 1.000")),
        ("sterbefaelle_je_1000", _("Sterbefälle je 1.000")),
        ("natuerlicher_saldo_je_1000", _("Natürlicher Saldo je 1.000")),
        ("wanderungssaldo_je_1000", _("Wanderungssaldo je 1.000")),
        ("familienwanderung", _("Familienwanderung")),
        ("bildungswanderung", _("Bildungswanderung")),
        ("berufseinstiegswanderung", _("Berufseinstiegswanderung")),
        ("wanderung_2_lebenshaelfte", _("Wanderung in der 2. Lebenshälfte")),
        ("alterswanderung", _("Alterswanderung")),
        ("prognose_bevoelkerung", _("Prognose: Bevölkerung")),
        ("prognose_erwerbsalter", _("Prognose: Menschen im Erwerbsalter")),
    )

    def __init__(self, *args, commune, current_indicator: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        action_fields, indicator = self.fields["action_fields"], self.fields["indicator_key"]
        statement, entry = self.fields["interview_statement"], self.fields["inventory_entry"]
        assert isinstance(action_fields, forms.ModelMultipleChoiceField)
        assert isinstance(indicator, forms.ChoiceField)
        assert isinstance(statement, forms.ModelChoiceField)
        assert isinstance(entry, forms.ModelChoiceField)
        action_fields.queryset = selectors.action_fields_of(commune=commune)
        choices: list[tuple[str, object]] = list(self.INDICATORS)
        if current_indicator and current_indicator not in dict(choices):
            choices.append((current_indicator, current_indicator))
        indicator.choices = choices
        statement.queryset = selectors.statements_of(commune=commune)
        entry.queryset = selectors.inventory_of(commune=commune)

    def data_object(self) -> services.SwotData:
        return services.SwotData(**{k: v for k, v in self.cleaned_data.items() if k != "version"})


def chapter_fields() -> list[tuple[str, str]]:
    return list(services.CHAPTERS)


class TextsForm(forms.Form):
    outlook = forms.CharField(label=_("Ausblick: nächste Schritte und Handlungsfelder mit "
                                      "Vorrang"), required=False,
                              max_length=services.MAX_CHAPTER_CHARS,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        outlook = self.fields.pop("outlook")
        for key, title in services.CHAPTERS:
            self.fields[key] = forms.CharField(
                label=title, required=False, max_length=services.MAX_CHAPTER_CHARS,
                widget=forms.Textarea(attrs={"rows": 5}))
        self.fields["outlook"] = outlook
        self.fields["version"] = version_field()

    def chapters(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in services.CHAPTER_KEYS}


class CommentForm(forms.Form):
    section = forms.ChoiceField(label=_("Abschnitt"), choices=services.COMMENT_SECTIONS,
                                required=False)
    text = forms.CharField(label=_("Kommentar"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))
