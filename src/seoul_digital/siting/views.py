from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.siting.apps import SitingConfig


@role_required(SitingConfig.nav_roles)
def index(request):
    return render(request, "siting/index.html")
