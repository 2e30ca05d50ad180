from django.urls import path

from . import views, views_terms

app_name = "engagements"
urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("new", views.engagement_create, name="create"),
    path("export.<str:fmt>", views.engagement_export, name="export"),
    path("<int:pk>/", views.engagement_detail, name="detail"),
    path("<int:pk>/edit", views.engagement_edit, name="edit"),
    path("<int:pk>/transfer", views.engagement_transfer, name="transfer"),
    path("<int:pk>/transition", views.engagement_transition, name="transition"),
    path("<int:pk>/agreement", views_terms.agreement_edit, name="agreement"),
    path("<int:pk>/agreement/documents", views_terms.agreement_upload, name="agreement-upload"),
    path("<int:pk>/agreement/notice", views_terms.agreement_notice, name="agreement-notice"),
    path("<int:pk>/agreement/versions/new", views_terms.version_create, name="version-create"),
    path("<int:pk>/deliverables/new", views_terms.deliverable_edit, name="deliverable-create"),
    path("<int:pk>/deliverables/<int:deliverable_pk>", views_terms.deliverable_edit, name="deliverable-edit"),
    path(
        "<int:pk>/deliverables/<int:deliverable_pk>/acceptance",
        views_terms.deliverable_decide,
        name="deliverable-decide",
    ),
    path("<int:pk>/metrics/new", views_terms.metric_edit, name="metric-create"),
    path("<int:pk>/metrics/<int:metric_pk>", views_terms.metric_edit, name="metric-edit"),
    path("<int:pk>/measurements/new", views_terms.measurement_create, name="measurement-create"),
    path(
        "<int:pk>/measurements/<int:measurement_pk>/correction",
        views_terms.measurement_correct,
        name="measurement-correct",
    ),
    path("<int:pk>/measurements/import", views_terms.measurement_import, name="measurement-import"),
    path("<int:pk>/benefit/terms", views_terms.terms_edit, name="terms"),
    path("<int:pk>/benefit/periods/new", views_terms.benefit_period_create, name="benefit-period-create"),
]
