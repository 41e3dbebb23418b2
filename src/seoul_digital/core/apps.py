from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "seoul_digital.core"
    label = "core"
    verbose_name = _("공통")

    def ready(self):
        from seoul_digital.core import signals  # noqa: F401  (login/logout audit)
