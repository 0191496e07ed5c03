from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

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
