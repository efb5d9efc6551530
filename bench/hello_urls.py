"""URLconf for bench/hello_wsgi.py: the project's URLs plus a hello world."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from linli.urls import urlpatterns as linli_urlpatterns


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello", hello), *linli_urlpatterns]
