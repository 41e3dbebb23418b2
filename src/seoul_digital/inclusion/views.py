from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.inclusion.apps import InclusionConfig


@role_required(InclusionConfig.nav_roles)
def index(request):
    return render(request, "inclusion/index.html")
