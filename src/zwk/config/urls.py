from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("zwk.core.urls")),
    path("konto/", include("zwk.accounts.urls")),
    path("", include("zwk.communes.urls")),
    path("", include("zwk.process.urls")),
    path("", include("zwk.profile.urls")),
    path("", include("zwk.workshop.urls")),
    path("", include("zwk.plan.urls")),
    path("", include("zwk.toolbox.urls")),
    path("admin/", admin.site.urls),
]

# 400, 403 and 404 use Django's views with our templates (templates/400.html, ...); the 500 page
# has its own view so that it renders even when the database or the templates fail.
handler500 = "zwk.core.views.server_error"
