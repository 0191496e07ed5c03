"""URLs of the plan app."""

urlpatterns: list = []
