from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.<str:fmt>", views.audit_export, name="audit-export"),
]
