from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class InclusionConfig(AppConfig):
    name = "seoul_digital.inclusion"
    label = "inclusion"
    verbose_name = _("디지털 포용")
    # Navigation entry (see core.navigation) and who sees it: officials and supporters.
    nav_url = "inclusion:index"
    nav_roles = Role.officials() | {Role.SUPPORTER}
    nav_order = 50
    demo_loader = "seoul_digital.inclusion.demo.load"
