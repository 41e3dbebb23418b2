from django.urls import path

from seoul_digital.sewer import views

app_name = "sewer"

urlpatterns = [
    path("", views.index, name="index"),
]
