from importlib import import_module

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from seoul_digital.config.api import api
from seoul_digital.core.views import healthz

# Programme apps, each mounted at /<app>/ with its own namespace when it has urls.py.
PROGRAMME_APPS = ("sewer", "siting", "bikes", "quality", "inclusion", "governance")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/js/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("api/v1/", api.urls),
    path("", include("seoul_digital.core.urls")),
]

for _app in PROGRAMME_APPS:
    try:
        import_module(f"seoul_digital.{_app}.urls")
    except ModuleNotFoundError as err:
        if err.name != f"seoul_digital.{_app}.urls":
            raise
        continue
    urlpatterns.append(path(f"{_app}/", include(f"seoul_digital.{_app}.urls")))

handler404 = "seoul_digital.core.errors.not_found"
handler500 = "seoul_digital.core.errors.server_error"
