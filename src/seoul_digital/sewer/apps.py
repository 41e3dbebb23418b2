from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class SewerConfig(AppConfig):
    name = "seoul_digital.sewer"
    label = "sewer"
    verbose_name = _("하수관로 AI")
    # Navigation entry (see core.navigation) and who sees it.
    nav_url = "sewer:index"
    nav_roles = Role.officials()
    nav_order = 10
    demo_loader = "seoul_digital.sewer.demo.load"
