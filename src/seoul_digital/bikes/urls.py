from django.urls import path

from seoul_digital.bikes import views

app_name = "bikes"

urlpatterns = [
    path("", views.index, name="index"),
]
