"""The HTTP benchmark's baseline: a bare Django hello-world, with no
middleware, no session, no database and no installed app, served by the same
gunicorn as Linli in the same run. Everything Linli does beyond this (its
middleware, the logged-in user, its views) shows in the ratio."""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-bare-hello",  # a throwaway process serving one constant page
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
