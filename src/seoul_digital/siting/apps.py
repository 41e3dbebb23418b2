from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class SitingConfig(AppConfig):
    name = "seoul_digital.siting"
    label = "siting"
    verbose_name = _("CCTV 입지")
    # Navigation entry (see core.navigation) and who sees it.
    nav_url = "siting:index"
    nav_roles = Role.officials()
    nav_order = 20
    demo_loader = "seoul_digital.siting.demo.load"
