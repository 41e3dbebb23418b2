from django.urls import path

from seoul_digital.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
]
