from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zwk.communes.models import ActionField
from zwk.workshop.models import Participant, Phase, Session
from zwk.workshop.services import JUNGK_PHASES, PhaseData, SessionData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


#: Rows for phases in the form: a title and a guiding question each (empty rows are skipped).
MAX_PHASES = 8
JUNGK = tuple((title, prompt) for _kind, title, prompt in JUNGK_PHASES)


def phase_field_names(number: int) -> tuple[str, str]:
    return f"phase_{number}_title", f"phase_{number}_prompt"


class SessionForm(forms.Form):
    """Create or configure a session. Each phase has its own title and guiding question field
    (no separator syntax to learn); the three phases after Robert Jungk are the default."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Art der Veranstaltung"), choices=Session.Kind.choices)
    action_fields: forms.ModelMultipleChoiceField[ActionField] = forms.ModelMultipleChoiceField(
        label=_("Angebotene Handlungsfelder"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    points_per_person = forms.IntegerField(label=_("Punkte pro Person"), min_value=1,
                                           max_value=100, initial=5)
    max_per_card = forms.IntegerField(label=_("Höchstens Punkte pro Karte"), min_value=1,
                                      max_value=100, initial=3)
    rounds_planned = forms.IntegerField(label=_("Geplante Abstimmungsrunden"), min_value=1,
                                        max_value=10, initial=1)

    def __init__(self, *args, commune, phases=JUNGK, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_fields"].queryset = commune.action_fields.filter(is_active=True)
        for number in range(1, MAX_PHASES + 1):
            title, prompt = phases[number - 1] if number <= len(phases) else ("", "")
            title_name, prompt_name = phase_field_names(number)
            self.fields[title_name] = forms.CharField(
                label=_("Phase %(n)s: Titel") % {"n": number}, max_length=100,
                required=False, initial=title)
            self.fields[prompt_name] = forms.CharField(
                label=_("Phase %(n)s: Leitfrage") % {"n": number}, max_length=300,
                required=False, initial=prompt)

    def phase_rows(self):
        """(number, title field, prompt field) for the template's phase table."""
        return [(n, *(self[name] for name in phase_field_names(n)))
                for n in range(1, MAX_PHASES + 1)]

    def _clean_phases(self) -> tuple[PhaseData, ...]:
        kinds = {title: kind for kind, title, _prompt in JUNGK_PHASES}
        phases = []
        for number in range(1, MAX_PHASES + 1):
            title_name, prompt_name = phase_field_names(number)
            title = (self.cleaned_data.get(title_name) or "").strip()
            prompt = (self.cleaned_data.get(prompt_name) or "").strip()
            if prompt and not title:
                self.add_error(title_name, _("Bitte geben Sie der Phase mit dieser Leitfrage "
                                             "einen Titel."))
            elif title:
                phases.append(PhaseData(title, prompt, kinds.get(title, Phase.Kind.CUSTOM)))
        if not phases and not self.errors:
            self.add_error(phase_field_names(1)[0], _("Bitte nennen Sie mindestens eine Phase."))
        return tuple(phases)

    def clean(self):
        data = super().clean()
        data["phases"] = self._clean_phases()
        if data.get("max_per_card") and data.get("points_per_person") \
                and data["max_per_card"] > data["points_per_person"]:
            self.add_error("max_per_card", _("Das sind mehr Punkte, als eine Person hat."))
        return data

    def session_data(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(title=d["title"], kind=d["kind"], phases=d["phases"],
                           points_per_person=d["points_per_person"],
                           max_per_card=d["max_per_card"], rounds_planned=d["rounds_planned"],
                           action_field_ids=tuple(f.pk for f in d["action_fields"]))


class NewSessionForm(SessionForm):
    """Plus the event of step 3 it belongs to: an existing one or a new one."""

    meeting = forms.ChoiceField(label=_("Veranstaltung"), required=False)
    date = forms.DateField(label=_("Datum"), required=False, widget=DateInput())
    format = forms.ChoiceField(label=_("Format"), required=False, choices=[
        ("onsite", _("vor Ort")), ("online", _("online")), ("hybrid", _("hybrid"))])
    location = forms.CharField(label=_("Ort oder Plattform"), max_length=200, required=False)
    target_groups = forms.CharField(
        label=_("Zielgruppen"), max_length=1000, required=False,
        help_text=_("z. B. Bürger:innen, Jugendliche, Senior:innen, Vereine, Verwaltung"))

    field_order = ["title", "kind", "meeting", "date", "format", "location", "target_groups"]

    def __init__(self, *args, commune, meetings, **kwargs):
        super().__init__(*args, commune=commune, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [("", _("Neue Veranstaltung anlegen"))] + [
            (str(m.pk), f"{m.title} ({m.date:%d.%m.%Y})") for m in meetings]

    def clean(self):
        data = super().clean()
        if not data.get("meeting") and not data.get("date"):
            self.add_error("date", _("Für eine neue Veranstaltung brauchen wir das Datum."))
        return data

    def chosen_meeting(self):
        return self.meetings.get(self.cleaned_data.get("meeting") or "")


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Zugangscode"), max_length=12,
                           help_text=_("Der Code steht auf der Leinwand, z. B. K7MP2Q."))


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Ihr Name (freiwillig)"), max_length=40,
                                   required=False)
    age_band = forms.ChoiceField(
        label=_("Ihre Altersgruppe (freiwillig, anonym)"), required=False,
        choices=[("", _("keine Angabe"))] + list(Participant.AgeBand.choices),
        help_text=_("Hilft zu sehen, ob alle Generationen vertreten sind."))


class CardForm(forms.Form):
    text = forms.CharField(label=_("Ihre Karte"), max_length=280,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": 280}))
