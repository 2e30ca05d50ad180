from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.index, name="index"),
    path("engagements/<int:pk>/", views.engagement_reports, name="engagement"),
    path("vendors/<int:pk>/", views.vendor_appraisals, name="vendor"),
    path("engagements/<int:pk>/reports/<str:period>", views.report_write, name="report-write"),
    path("reports/accept", views.reports_accept_selected, name="reports-accept"),
]
