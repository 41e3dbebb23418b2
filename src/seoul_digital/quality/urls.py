from django.urls import path

from seoul_digital.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.index, name="index"),
    path("datasets/new/", views.dataset_create, name="dataset_create"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/edit/", views.dataset_edit, name="dataset_edit"),
    path("datasets/<int:pk>/upload/", views.version_upload, name="version_upload"),
    path("datasets/<int:pk>/assign/", views.dataset_assign, name="dataset_assign"),
    path("datasets/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("versions/<int:pk>/files/<str:kind>/", views.version_file, name="version_file"),
    path("versions/<int:pk>/review/", views.version_review, name="version_review"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/decide/", views.version_decide, name="version_decide"),
    path("versions/<int:pk>/recheck/", views.version_recheck, name="version_recheck"),
]
