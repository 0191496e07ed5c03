"""Data, indicators, charts, projection, towns, typology. Views in views_analysis.py."""

urlpatterns: list = []
