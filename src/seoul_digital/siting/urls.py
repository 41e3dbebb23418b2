from django.urls import path

from seoul_digital.siting import views

app_name = "siting"

urlpatterns = [
    path("", views.index, name="index"),
]
