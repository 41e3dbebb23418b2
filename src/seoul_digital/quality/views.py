from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.quality.apps import QualityConfig


@role_required(QualityConfig.nav_roles)
def index(request):
    return render(request, "quality/index.html")
