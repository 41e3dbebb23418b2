from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class InclusionConfig(AppConfig):
    name = "seoul_digital.inclusion"
    label = "inclusion"
    verbose_name = _("디지털 포용")
    # Navigation entry (see core.navigation) and who sees it.
    nav_url = "inclusion:index"
    nav_roles = Role.all()
    nav_order = 50
