from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zwk.communes.keys import LAENDER


class Programme(models.Model):
    """A funding programme with many communes, run by a programme office."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), unique=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    is_demo = models.BooleanField(_("Demodaten"), default=False)

    class Meta:
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeRole(models.Model):
    """A person working for the programme office (Geschäftsstelle) of a programme."""

    class Role(models.TextChoices):
        OFFICE = "office", _("Geschäftsstelle")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="programme_roles")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.OFFICE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "programme"],
                                               name="unique_programme_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.programme})"


class Commune(models.Model):
    class Kind(models.TextChoices):
        GEMEINDE = "gemeinde", _("Gemeinde")
        STADT = "stadt", _("Stadt")
        KREIS = "kreis", _("Landkreis")
        QUARTIER = "quartier", _("Quartier")
        VERBUND = "verbund", _("Verbund")

    class Cluster(models.TextChoices):
        WEST = "west", _("West")
        NORD_OST = "nord_ost", _("Nord-Ost")
        SUED = "sued", _("Süd")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    ags = models.CharField(_("Gemeindeschlüssel (AGS)"), max_length=8, blank=True)
    ars = models.CharField(_("Regionalschlüssel (ARS)"), max_length=12, blank=True)
    land = models.CharField(_("Land"), max_length=2, choices=sorted(LAENDER.items()))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("gehört zu"))
    cluster = models.CharField(_("Regionalcluster"), max_length=20, choices=Cluster.choices,
                               blank=True)
    population = models.PositiveIntegerField(_("Einwohnerzahl"), null=True, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "ags"], condition=~Q(ags=""),
                                    name="unique_ags_per_programme"),
            models.UniqueConstraint(fields=["programme", "land", "name"],
                                    name="unique_name_per_programme_and_land"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def land_name(self) -> str:
        return LAENDER.get(self.land, "")


class Membership(models.Model):
    """A person's role in one commune. Consultants are assigned through this as well."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Koordination")
        TEAM_MEMBER = "team_member", _("Team")
        CONSULTANT = "consultant", _("Berater:in")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [models.UniqueConstraint(fields=["user", "commune"],
                                               name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.commune})"


DEFAULT_ACTION_FIELDS = (
    "Wohnen & Orts-/Stadtentwicklung", "Mobilität & Erreichbarkeit",
    "Gesundheit, Pflege & Leben im Alter", "Kinder, Jugend & Familie", "Bildung",
    "Arbeit, Wirtschaft & Fachkräfte", "Integration, Vielfalt & Teilhabe",
    "Bürgerschaftliches Engagement & Ehrenamt", "Beteiligung & Demokratie",
    "Kultur, Freizeit & Begegnung", "Nahversorgung & Daseinsvorsorge", "Digitalisierung",
    "Identität, Image & Öffentlichkeitsarbeit", "Verwaltung & Kooperation", "Klima & Umwelt",
)


class ActionField(models.Model):
    """A Handlungsfeld of one commune: the default catalogue, editable per commune."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="action_fields")
    name = models.CharField(_("Handlungsfeld"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["commune", "name"],
                                               name="unique_action_field")]

    def __str__(self) -> str:
        return self.name
