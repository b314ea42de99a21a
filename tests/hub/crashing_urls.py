"""A URL configuration with a view that fails, for the server error page's test."""

from django.urls import path

from hub import urls as project_urls
from hub.personal_data import no_personal_data


@no_personal_data("a test view that fails")
def crash(request):
    raise RuntimeError("a failure")


urlpatterns = [path("crash/", crash), *project_urls.urlpatterns]
handler500 = "hub.views.server_error"
