from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class GovernanceConfig(AppConfig):
    name = "seoul_digital.governance"
    label = "governance"
    verbose_name = _("경영·예산")
    # Navigation entry (see core.navigation) and who sees it.
    nav_url = "governance:index"
    nav_roles = Role.foundation()
    nav_order = 60
    demo_loader = "seoul_digital.governance.demo.load"
