from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class BikesConfig(AppConfig):
    name = "seoul_digital.bikes"
    label = "bikes"
    verbose_name = _("따릉이 안전재고")
    # Navigation entry (see core.navigation) and who sees it.
    nav_url = "bikes:index"
    nav_roles = Role.officials()
    nav_order = 30
    demo_loader = "seoul_digital.bikes.demo.load"
