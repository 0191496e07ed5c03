import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from zwk.communes.selectors import communes_visible_to, programmes_managed_by


@login_required
def home(request):
    """The start page: the programmes a person runs, then the communes they work in."""
    programmes = list(programmes_managed_by(user=request.user))
    communes = communes_visible_to(user=request.user)
    if len(programmes) == 1 and not request.GET.get("alle"):
        return redirect("portfolio", slug=programmes[0].slug)
    return render(request, "core/home.html", {"programmes": programmes, "communes": communes})


def health(request):
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The last resort when even 500.html cannot be rendered (e.g. the templates are broken).
PLAIN_500 = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Fehler im Server · ZWK</title></head><body><main>
<h1>Im Server ist ein Fehler aufgetreten</h1>
<p>Das lag nicht an Ihnen. Laden Sie die Seite in ein paar Minuten neu oder gehen Sie
<a href="/">zur Startseite</a>. Tritt der Fehler wieder auf, melden Sie ihn Ihrer
Geschäftsstelle.</p></main></body></html>"""


def server_error(request):
    """The 500 page: rendered without the request, so no context processor and no database
    query runs; if even that fails, a fixed German page."""
    try:
        html = render_to_string("500.html")
    except Exception:  # the error page itself must never fail
        logging.getLogger(__name__).exception("500.html could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)
