from django.urls import path

from seoul_digital.sewer import views

app_name = "sewer"

urlpatterns = [
    path("", views.index, name="index"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("inspections/<int:pk>/delete/", views.inspection_delete, name="inspection_delete"),
    path("inspections/<int:pk>/upload/", views.inspection_upload, name="inspection_upload"),
    path("inspections/<int:pk>/screen/", views.inspection_screen, name="inspection_screen"),
    path("inspections/<int:pk>/video/", views.inspection_video, name="inspection_video"),
    path("inspections/<int:pk>/review/", views.inspection_review, name="inspection_review"),
    path("inspections/<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path("inspections/<int:pk>/finish/", views.inspection_finish_review, name="inspection_finish_review"),
    path("inspections/<int:pk>/report.pdf", views.inspection_report_pdf, name="inspection_report_pdf"),
    path("inspections/<int:pk>/survey.xlsx", views.inspection_report_xlsx, name="inspection_report_xlsx"),
    path("findings/<int:pk>/review/", views.finding_review, name="finding_review"),
    path("findings/<int:pk>/<str:kind>.jpg", views.finding_image, name="finding_image"),
    path("export/training-set.zip", views.training_export, name="training_export"),
    path("models/", views.registry, name="registry"),
    path("models/<int:pk>/", views.model_detail, name="model_detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/survey/", views.survey_submit, name="survey_submit"),
]
