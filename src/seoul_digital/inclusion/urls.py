from django.urls import path

from seoul_digital.inclusion import views

app_name = "inclusion"

urlpatterns = [
    path("", views.index, name="index"),
]
