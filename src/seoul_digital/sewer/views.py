from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.sewer.apps import SewerConfig


@role_required(SewerConfig.nav_roles)
def index(request):
    return render(request, "sewer/index.html")
