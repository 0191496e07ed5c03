"""The five stage types: what each step is for, its guidance, its checklist and its gate.

A stage instance (dates, status) is data; what a stage type offers and requires is code,
registered here once and looked up by key (the adhocracy4 phase idea).

Checklist items are ticked by people, or derived from what was recorded (`derived`): a derived
item is done when its predicate holds for the stage, so the gate cannot be fooled by a tick.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from zwk.process.models import Stage

# German UI text: translated lazily (gettext_lazy), so the language is chosen per request.
LazyText: TypeAlias = "str | StrPromise"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: LazyText
    required: bool = True
    derived: Callable[[Stage], bool] | None = None  # ticked automatically, not by hand
    hint: LazyText = ""
    # Where the work that fulfils a derived item is done: a URL name taking the commune's pk,
    # the link text, and the permission (on the commune) a user needs to see the link.
    link_url: str = ""
    link_label: LazyText = ""
    link_perm: str = ""


@dataclass(frozen=True)
class Guidance:
    purpose: LazyText
    participants: LazyText
    agenda: tuple[LazyText, ...]
    outputs: tuple[LazyText, ...]
    pitfalls: tuple[LazyText, ...]
    toolbox_topics: tuple[str, ...] = ()  # link targets for the Werkzeugkoffer


@dataclass(frozen=True)
class StageType:
    key: str
    number: int
    title: LazyText
    short: LazyText
    guidance: Guidance
    checklist: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    def item(self, key: str) -> ChecklistItem | None:
        return next((i for i in self.checklist if i.key == key), None)


def has_documented_meeting(stage: Stage) -> bool:
    """At least one event of this stage has minutes."""
    return any(m.minutes.strip() for m in stage.meetings.all())


def workshop_is_documented(stage: Stage) -> bool:
    """An event with minutes, or a closed live workshop whose record (protocol PDF) exists."""
    from zwk.workshop.selectors import commune_has_workshop_record

    return has_documented_meeting(stage) or commune_has_workshop_record(
        commune_id=stage.commune_id)


def workshop_has_voting_result(stage: Stage) -> bool:
    """The voting of a live workshop is over: its ranking prioritises the Handlungsfelder."""
    from zwk.workshop.selectors import commune_has_voting_result

    return commune_has_voting_result(commune_id=stage.commune_id)


def plan_is_adopted(stage: Stage) -> bool:
    """A Werkstattplan version was adopted; a decision about something else does not count."""
    from zwk.plan.selectors import commune_has_adopted_plan

    return commune_has_adopted_plan(commune_id=stage.commune_id)


def profile_is_approved(stage: Stage) -> bool:
    """The Kommunalprofil of the commune was approved by its coordination."""
    from zwk.profile.models import Profile

    return Profile.objects.filter(commune_id=stage.commune_id,
                                  status=Profile.Status.APPROVED).exists()


KICKOFF = StageType(
    key="kickoff", number=1, title=_("Kick-Off"), short=_("Auftakt"),
    guidance=Guidance(
        purpose=_("Der Auftakt macht den Prozess in der Kommune sichtbar und verbindlich. Die "
                  "Verwaltungsspitze eröffnet ihn, die wichtigsten Akteur:innen lernen sich und "
                  "das Vorhaben kennen, und es werden erste Absprachen getroffen."),
        participants=_("Bürgermeister:in oder Landrät:in, Koordination und Team der Verwaltung, "
                       "Berater:in, Vertreter:innen aus Politik, Vereinen, Wirtschaft, "
                       "Sozialträgern und Jugend."),
        agenda=(_("Begrüßung durch die Verwaltungsspitze"),
                _("Vorstellung des Vorhabens und der fünf Schritte"),
                _("Erste Zahlen zur demografischen Lage"),
                _("Austausch: Was hält Menschen hier, was zieht sie an?"),
                _("Vereinbarungen: Steuerungsgruppe, Zeitplan, nächste Termine")),
        outputs=(_("Liste der Teilnehmenden und Akteur:innen"), _("Erste Themensammlung"),
                 _("Benannte Koordination und Steuerungsgruppe"), _("Zeitplan mit Terminen")),
        pitfalls=(_("Die Verwaltungsspitze fehlt – dann fehlt dem Prozess die Rückendeckung."),
                  _("Nur Verwaltung im Raum: laden Sie früh Vereine, Jugend und Wirtschaft ein."),
                  _("Zu viele Themen auf einmal: sammeln ja, entscheiden erst im Profil.")),
        toolbox_topics=("kickoff", "oeffentlichkeitsarbeit", "buergerbeteiligung"),
    ),
    checklist=(
        ChecklistItem("kickoff_held", _("Auftaktveranstaltung ist mit Protokoll dokumentiert"),
                      derived=has_documented_meeting,
                      hint=_("Wird erfüllt, sobald eine Veranstaltung mit Protokoll erfasst ist.")),
        ChecklistItem("leadership_attended", _("Die Verwaltungsspitze hat teilgenommen")),
        ChecklistItem("steering_group_named", _("Die Steuerungsgruppe ist benannt")),
        ChecklistItem("next_dates_fixed", _("Die nächsten Termine sind vereinbart")),
        ChecklistItem("themes_collected", _("Erste Themen sind gesammelt"), required=False),
        ChecklistItem("press_informed", _("Presse und Öffentlichkeit sind informiert"),
                      required=False),
    ),
)

PROFILE = StageType(
    key="profile", number=2, title=_("Kommunalprofil"), short=_("Profil"),
    guidance=Guidance(
        purpose=_("Das Kommunalprofil beschreibt, wo die Kommune steht: die demografische "
                  "Entwicklung in Zahlen, was es schon an Maßnahmen und Konzepten gibt, wie "
                  "Schlüsselakteur:innen die Lage sehen, und daraus Stärken, Schwächen, Chancen "
                  "und Risiken."),
        participants=_("Team der Verwaltung mit der Berater:in; für die Interviews "
                       "Schlüsselakteur:innen; im Reflexionsworkshop die Steuerungsgruppe."),
        agenda=(_("Daten zusammentragen und auswerten"),
                _("Bestandsaufnahme der Maßnahmen, Projekte und Konzepte"),
                _("Leitfadengestützte Interviews"),
                _("SWOT in Stichpunkten, ein bis zwei Seiten"),
                _("Entwurf im Reflexionsworkshop besprechen und freigeben")),
        outputs=(_("Kommunalprofil als Dokument"), _("SWOT-Analyse"),
                 _("Erste Kandidaten für Handlungsfelder")),
        pitfalls=(_("Zahlenfriedhof: wählen Sie wenige Kennzahlen, die eine Geschichte erzählen."),
                  _("Die Bestandsaufnahme vergessen – vieles gibt es schon."),
                  _("SWOT ohne Belege: verknüpfen Sie jeden Punkt mit Zahl, Interview oder "
                    "Bestand.")),
        toolbox_topics=("demografiestrategie", "swot", "interview"),
    ),
    checklist=(
        ChecklistItem("data_analysed", _("Die statistische Auswertung liegt vor")),
        ChecklistItem("inventory_done", _("Die Bestandsaufnahme ist erstellt")),
        ChecklistItem("interviews_done", _("Interviews mit Schlüsselakteur:innen sind geführt")),
        ChecklistItem("swot_written", _("Die SWOT-Analyse ist formuliert")),
        ChecklistItem("reflection_held", _("Der Reflexionsworkshop hat stattgefunden")),
        ChecklistItem("profile_approved", _("Die Koordination hat das Profil freigegeben"),
                      derived=profile_is_approved,
                      hint=_("Wird erfüllt, sobald die Koordination das Kommunalprofil "
                             "freigibt.")),
    ),
)

WORKSHOP = StageType(
    key="workshop", number=3, title=_("Zukunftswerkstatt"), short=_("Werkstatt"),
    guidance=Guidance(
        purpose=_("In der Zukunftswerkstatt bestimmen Bürger:innen und Akteur:innen gemeinsam, "
                  "welche Handlungsfelder Vorrang haben, und füllen sie mit ersten Maßnahmen – "
                  "klassisch in Kritik-, Phantasie- und Verwirklichungsphase."),
        participants=_("Möglichst alle Altersgruppen: Bürger:innen, Vereine, Jugend, "
                       "Seniorenvertretung, Wirtschaft, Politik; Moderation durch die "
                       "Berater:in, ab etwa 25 Teilnehmenden zu zweit."),
        agenda=(_("Kritikphase: Probleme und Ärgernisse auf Karten sammeln und gruppieren"),
                _("Phantasiephase: frei denken, nichts ist unmöglich"),
                _("Verwirklichungsphase: prüfen, was machbar ist, und konkrete Schritte "
                  "vereinbaren"),
                _("Punktevergabe zur Priorisierung")),
        outputs=(_("Ideen und Themencluster"), _("Priorisierte Handlungsfelder"),
                 _("Erste Maßnahmen mit Verantwortlichen")),
        pitfalls=(_("Immer dieselben Gesichter: werben Sie gezielt um Jüngere und "
                    "Zugezogene."),
                  _("Ergebnisse gehen auf dem Weg in den Plan verloren: dokumentieren Sie "
                    "sofort."),
                  _("Erwartungen wecken, die niemand einlöst: sagen Sie, was mit den Ideen "
                    "geschieht.")),
        toolbox_topics=("zukunftswerkstatt", "buergerbeteiligung", "world-cafe"),
    ),
    checklist=(
        ChecklistItem("workshop_held", _("Mindestens eine Werkstatt ist mit Protokoll "
                                         "dokumentiert"), derived=workshop_is_documented,
                      hint=_("Wird erfüllt, sobald eine Live-Werkstatt mit Karten beendet ist "
                             "(ihr Protokoll steht dann als PDF bereit) oder eine "
                             "Veranstaltung mit Protokoll erfasst ist."),
                      link_url="workshop_sessions", link_label=_("Zu den Live-Werkstätten"),
                      link_perm="workshop.view_session"),
        ChecklistItem("fields_prioritised", _("Die Handlungsfelder sind priorisiert"),
                      derived=workshop_has_voting_result,
                      hint=_("Wird erfüllt, sobald in einer Live-Werkstatt eine "
                             "Abstimmungsrunde beendet ist; auch erfasste Papierpunkte zählen."),
                      link_url="workshop_sessions", link_label=_("Zu den Live-Werkstätten"),
                      link_perm="workshop.view_session"),
        ChecklistItem("first_measures", _("Erste Maßnahmen sind gesammelt")),
        ChecklistItem("results_shared", _("Die Ergebnisse sind an die Teilnehmenden "
                                          "zurückgemeldet"), required=False),
    ),
)

PLAN = StageType(
    key="plan", number=4, title=_("Werkstattplan"), short=_("Plan"),
    guidance=Guidance(
        purpose=_("Der Werkstattplan verbindet die Maßnahmen zu einer Strategie und macht sie "
                  "steuerbar: wer ist verantwortlich, in welchem Zeitraum, mit welchem Budget, "
                  "für welche Zielgruppen."),
        participants=_("Koordination und Team, Fachämter, Steuerungsgruppe, Berater:in; für "
                       "den Beschluss Verwaltungsspitze und Rat."),
        agenda=(_("Handlungsfelder, Leitziele und Teilziele festlegen"),
                _("Maßnahmen mit Verantwortlichen, Zeitraum und Budget beschreiben"),
                _("Messbare Ziele mit Ausgangs- und Zielwert vereinbaren"),
                _("Plan abstimmen und beschließen lassen")),
        outputs=(_("Beschlossener Werkstattplan"), _("Verantwortlichkeiten und Zeitplan")),
        pitfalls=(_("Wunschliste ohne Verantwortliche und Budget."),
                  _("Ziele ohne Messgröße – dann kann die Zwischenbilanz nichts prüfen.")),
        toolbox_topics=("demografiestrategie", "foerdermittel"),
    ),
    checklist=(
        ChecklistItem("goals_set", _("Handlungsfelder und Ziele sind festgelegt")),
        ChecklistItem("measures_described", _("Maßnahmen haben Verantwortliche, Zeitraum und "
                                              "Budget")),
        ChecklistItem("leadership_agreed", _("Der Plan ist mit der Verwaltungsspitze "
                                             "abgestimmt")),
        ChecklistItem("plan_adopted", _("Der Plan ist beschlossen"), derived=plan_is_adopted,
                      hint=_("Wird erfüllt, sobald eine Fassung des Werkstattplans beschlossen "
                             "ist."),
                      link_url="plan_versions", link_label=_("Fassung beschließen"),
                      link_perm="plan.adopt_plan"),
    ),
)

REVIEW = StageType(
    key="review", number=5, title=_("Zwischenbilanz"), short=_("Bilanz"),
    guidance=Guidance(
        purpose=_("Etwa zur Halbzeit prüft die Kommune den Weg: was ist umgesetzt, was hemmt, "
                  "was hilft, was wird geschärft – und wie geht es nach der Förderung weiter."),
        participants=_("Koordination, Team, Steuerungsgruppe, Berater:in, Verantwortliche der "
                       "Maßnahmen; für die Verstetigung Verwaltungsspitze und Rat."),
        agenda=(_("Stand jeder Maßnahme erheben"), _("Hemmnisse und Gelingensfaktoren "
                                                     "besprechen"),
                _("Kennzahlen neu messen"), _("Plan fortschreiben"),
                _("Verstetigung vereinbaren")),
        outputs=(_("Status aller Maßnahmen"), _("Fortgeschriebener Plan"),
                 _("Plan zur Verstetigung")),
        pitfalls=(_("Nur Erfolge berichten: auch Gestopptes ist ein Ergebnis."),
                  _("Verstetigung zu spät klären – Stellen und Budgets brauchen Vorlauf.")),
        toolbox_topics=("demografiestrategie", "verstetigung"),
    ),
    checklist=(
        ChecklistItem("measures_reviewed", _("Der Stand aller Maßnahmen ist erhoben")),
        ChecklistItem("barriers_discussed", _("Hemmnisse und Gelingensfaktoren sind "
                                              "besprochen")),
        ChecklistItem("plan_revised", _("Der Plan ist fortgeschrieben")),
        ChecklistItem("continuation_agreed", _("Die Verstetigung ist geklärt (Struktur, Budget, "
                                               "Stelle, Beschluss)")),
    ),
)

STAGE_TYPES: dict[str, StageType] = {t.key: t for t in (KICKOFF, PROFILE, WORKSHOP, PLAN, REVIEW)}
STAGE_KEYS: tuple[str, ...] = tuple(STAGE_TYPES)
STAGE_CHOICES: list[tuple[str, LazyText]] = [(t.key, t.title) for t in STAGE_TYPES.values()]
