"""The programme office's synopsis of all communes. Views in views_analysis.py."""

urlpatterns: list = []
