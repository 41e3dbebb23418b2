from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from seoul_digital.core.roles import Role


class QualityConfig(AppConfig):
    name = "seoul_digital.quality"
    label = "quality"
    verbose_name = _("공공데이터 품질")
    # Navigation entry (see core.navigation) and who sees it: officials and the Data
    # Supporters (users with role supporter), who see only the datasets assigned to them.
    nav_url = "quality:index"
    nav_roles = Role.officials() | {Role.SUPPORTER}
    nav_order = 40
    demo_loader = "seoul_digital.quality.demo.load"
