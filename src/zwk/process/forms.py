from django import forms
from django.utils.translation import gettext_lazy as _

from zwk.core.concurrency import version_field
from zwk.process.models import Decision, Document, Meeting
from zwk.process.services import DecisionData, MeetingData, StageDates, dates_problems


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StageDatesForm(forms.Form):
    planned_start = forms.DateField(label=_("Geplanter Beginn"), required=False, widget=DateInput())
    planned_end = forms.DateField(label=_("Geplantes Ende (fällig)"), required=False,
                                  widget=DateInput())
    actual_start = forms.DateField(label=_("Tatsächlicher Beginn"), required=False,
                                   widget=DateInput())
    actual_end = forms.DateField(label=_("Tatsächliches Ende"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, message in dates_problems(self.dates()).items():
                self.add_error(field, message)
        return data

    def dates(self) -> StageDates:
        return StageDates(**{f: self.cleaned_data.get(f) for f in self.fields})


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Was blockiert den Schritt?"), widget=forms.Textarea(
        attrs={"rows": 2}), max_length=2000)


class CompleteForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Begründung für den Abschluss trotz offener Punkte"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
        help_text=_("Nur für die Geschäftsstelle: Der Abschluss mit Begründung wird im Verlauf "
                    "festgehalten."))


class MeetingForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = Meeting
        fields = ["title", "date", "format", "location", "participants_count",
                  "participant_groups", "agenda", "minutes"]
        widgets = {
            "date": DateInput(),
            "participant_groups": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }

    def meeting_data(self) -> MeetingData:
        return MeetingData(**{f: self.cleaned_data[f] for f in self.Meta.fields})


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Art"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("Datei"), help_text=_(
        "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV oder Text"))


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "title", "body", "reference", "text"]
        widgets = {"decided_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def decision_data(self) -> DecisionData:
        return DecisionData(**{f: self.cleaned_data[f] for f in self.Meta.fields})
