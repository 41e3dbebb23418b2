from django.shortcuts import render

from seoul_digital.core.roles import role_required
from seoul_digital.bikes.apps import BikesConfig


@role_required(BikesConfig.nav_roles)
def index(request):
    return render(request, "bikes/index.html")
