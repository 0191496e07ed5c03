"""Inventory, interviews, SWOT, comments, approval, PDF/DOCX. Views in views_qualitative.py."""

urlpatterns: list = []
