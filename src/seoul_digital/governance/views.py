from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.governance.apps import GovernanceConfig


@role_required(GovernanceConfig.nav_roles)
def index(request):
    return render(request, "governance/index.html")
