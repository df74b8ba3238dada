"""A URLconf with one view that fails, for the 500 page (test_request_log.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from werkbrug.core.policy import public_view
from werkbrug.urls import handler500
from werkbrug.urls import urlpatterns as app_urlpatterns

__all__ = ["handler500", "urlpatterns"]


@public_view
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [*app_urlpatterns, path("boom/", boom, name="boom")]
