from django.urls import path

from seoul_digital.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
]
