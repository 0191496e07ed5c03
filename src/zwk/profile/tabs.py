"""The tabs of the Kommunalprofil, in order. Views pass `profile_context(commune, tab)`."""

from django.utils.translation import gettext_lazy as _

PROFILE_TABS = (
    ("overview", _("Kennzahlen"), "profile_overview"),
    ("data", _("Daten"), "profile_data"),
    ("projection", _("Prognose"), "profile_projection"),
    ("towns", _("Städte und Gemeinden"), "profile_towns"),
    ("inventory", _("Bestandsaufnahme"), "profile_inventory"),
    ("interviews", _("Interviews"), "profile_interviews"),
    ("swot", _("SWOT"), "profile_swot"),
    ("document", _("Texte, Freigabe und Export"), "profile_document"),
)


def profile_context(commune, tab: str) -> dict:
    """What every profile page's template needs for its header and tabs."""
    tabs = [t for t in PROFILE_TABS if t[0] != "towns" or commune.kind == "kreis"]
    return {"commune": commune, "tab": tab, "profile_tabs": tabs}
