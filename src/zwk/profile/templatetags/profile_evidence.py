"""`{{ item|swot_evidence }}` and `{{ item.figures|swot_figures }}`: the plain German evidence
of a SWOT item (`zwk.profile.evidence`), the same text the PDF and DOCX print."""

from django import template

from zwk.profile.evidence import figures_text
from zwk.profile.evidence import swot_evidence as evidence_of

register = template.Library()


@register.filter
def swot_evidence(item) -> str:
    return evidence_of(item, quote_chars=120)


@register.filter
def swot_figures(figures) -> str:
    return figures_text(figures)
