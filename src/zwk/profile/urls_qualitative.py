"""Inventory, interviews, SWOT, comments, approval. Views in views_qualitative.py.

Included under `kommunen/<int:pk>/profil/`. PDF/DOCX (`profile_pdf`, `profile_docx`) live in
urls_analysis.py.
"""

from django.urls import path

from zwk.profile import views_qualitative as v

entry = "bestandsaufnahme/<int:entry_pk>/"
interview = "interviews/<int:interview_pk>/"
statement = interview + "aussagen/<int:statement_pk>/"
item = "swot/<int:item_pk>/"

urlpatterns = [
    path("bestandsaufnahme/", v.inventory, name="profile_inventory"),
    path("bestandsaufnahme/neu/", v.inventory_form, name="profile_inventory_create"),
    path(entry, v.inventory_form, name="profile_inventory_edit"),
    path(entry + "loeschen/", v.inventory_delete, name="profile_inventory_delete"),
    path(entry + "anhang/", v.inventory_attachment, name="profile_inventory_attachment"),
    path("interviews/", v.interviews, name="profile_interviews"),
    path("interviews/leitfaden/", v.guide_edit, name="profile_guide_edit"),
    path("interviews/neu/", v.interview_form, name="profile_interview_create"),
    path(interview, v.interview_form, name="profile_interview_edit"),
    path(interview + "loeschen/", v.interview_delete, name="profile_interview_delete"),
    path(interview + "aussagen/neu/", v.statement_form, name="profile_statement_add"),
    path(statement, v.statement_form, name="profile_statement_edit"),
    path(statement + "loeschen/", v.statement_delete, name="profile_statement_delete"),
    path("swot/", v.swot, name="profile_swot"),
    path("swot/vorschlaege/", v.swot_refresh, name="profile_swot_refresh"),
    path("swot/neu/", v.swot_form, name="profile_swot_create"),
    path(item, v.swot_form, name="profile_swot_edit"),
    path(item + "entscheidung/", v.swot_status, name="profile_swot_status"),
    path(item + "loeschen/", v.swot_delete, name="profile_swot_delete"),
    path("texte/", v.document, name="profile_document"),
    path("texte/speichern/", v.texts_save, name="profile_texts_save"),
    path("texte/kommentare/", v.comment_add, name="profile_comment_add"),
    path("freigabe/", v.approve, name="profile_approve"),
    path("freigabe/zuruecknehmen/", v.reopen, name="profile_reopen"),
]
