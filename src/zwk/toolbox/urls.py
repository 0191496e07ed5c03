"""URLs of the toolbox app."""

urlpatterns: list = []
