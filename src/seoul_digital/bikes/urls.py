from django.urls import path

from seoul_digital.bikes import views

app_name = "bikes"

urlpatterns = [
    path("", views.index, name="index"),
    path("stations/<str:station_no>/", views.station_detail, name="station_detail"),
    path("routes/", views.routes, name="routes"),
    path("recompute/", views.recompute, name="recompute"),
]
