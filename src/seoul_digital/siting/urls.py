from django.urls import path

from seoul_digital.siting import views

app_name = "siting"

urlpatterns = [
    path("", views.index, name="index"),
    path("manual/", views.manual, name="manual"),
    path("overview/", views.overview, name="overview"),
    path("overview/refresh/", views.overview_refresh, name="overview_refresh"),
    path("d/<str:code>/", views.district, name="district"),
    path("d/<str:code>/weights/", views.weights, name="weights"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/map.json", views.run_map, name="run_map"),
    path("runs/<int:pk>/export/<str:fmt>/", views.run_export, name="run_export"),
]
