from django.urls import path

from . import views, views_admin, views_compare

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/page", views.save_page, name="save-page"),
    path("<int:pk>/do/<slug:name>", views.assessment_transition, name="transition"),
    path("<int:pk>/items/<int:item_pk>/<slug:name>", views.item_action, name="item-action"),
    path("<int:pk>/findings/new", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/comment", views.finding_comment, name="finding-comment"),
    path("templates/", views_admin.template_list, name="templates"),
    path("templates/new", views_admin.template_edit, name="template-create"),
    path("templates/<int:pk>/", views_admin.template_detail, name="template-detail"),
    path("templates/<int:pk>/edit", views_admin.template_edit, name="template-edit"),
    path("templates/<int:template_pk>/sections/new", views_admin.section_edit, name="section-create"),
    path("templates/<int:template_pk>/sections/<int:pk>", views_admin.section_edit, name="section-edit"),
    path("sections/<int:section_pk>/items/new", views_admin.item_edit, name="item-create"),
    path("sections/<int:section_pk>/items/<int:pk>", views_admin.item_edit, name="item-edit"),
    path("settings", views_admin.settings_edit, name="settings"),
    path("compare/", views_compare.compare_page, name="compare"),
    path("compare/export.<str:fmt>", views_compare.compare_export, name="compare-export"),
]
