from django.urls import path

from seoul_digital.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    # Organisation
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/units/new/", views.unit_create, name="unit_create"),
    path("organisation/history/", views.org_history, name="org_history"),
    path("organisation/<slug:kind>/<int:pk>/edit/", views.org_edit, name="org_edit"),
    # Budget
    path("budget/", views.budget, name="budget"),
    path("budget/settings/", views.budget_settings, name="budget_settings"),
    path("budget/adjustments/", views.adjustments, name="adjustments"),
    path("budget/programmes/<slug:code>/", views.budget_programme, name="budget_programme"),
    path("spending/", views.spending_list, name="spending_list"),
    path("spending/new/", views.spending_create, name="spending_create"),
    path("spending/<int:pk>/edit/", views.spending_edit, name="spending_edit"),
    path("spending/<int:pk>/delete/", views.spending_delete, name="spending_delete"),
    path("spending/import/", views.import_upload, name="import_upload"),
    path("spending/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("spending/import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("spending/import/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("spending/import/<int:pk>/rejected.csv", views.import_rejections_csv,
         name="import_rejections_csv"),
    # Audit register
    path("audit/", views.audit_register, name="audit_register"),
    path("audit/<int:pk>/", views.audit_item, name="audit_item"),
    path("audit/<int:pk>/edit/", views.audit_item_edit, name="audit_item_edit"),
    path("audit/<int:pk>/notes/", views.audit_note_add, name="audit_note_add"),
    path("audit/<int:pk>/evidence/", views.audit_evidence_add, name="audit_evidence_add"),
    path("audit/evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    # Report
    path("report/", views.report, name="report"),
    path("report/download/<str:fmt>/", views.report_download, name="report_download"),
]
