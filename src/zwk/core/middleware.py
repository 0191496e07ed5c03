from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy header: no inline scripts, no foreign origins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.ZWK_CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ParameterGuardMiddleware:
    """Malformed parameters end as German 400/404 pages, not as server errors: an integer in
    the URL beyond what a database key can hold is a 404 (no such object), and a view's
    BadParameter (zwk.core.params) a 400 naming the parameter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from zwk.core.params import MAX_ID

        if any(isinstance(v, int) and not 0 <= v <= MAX_ID
               for v in (*view_args, *view_kwargs.values())):
            raise Http404
        return None

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from zwk.core.params import BadParameter

        if isinstance(exception, BadParameter):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None
