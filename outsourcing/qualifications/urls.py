from django.urls import path

from . import views, views_reading, views_setup

app_name = "qualifications"
urlpatterns = [
    path("", views.qualification_list_view, name="list"),
    path("export.<str:fmt>", views.qualification_export, name="export"),
    path("vendor/<int:pk>/", views.vendor_qualifications, name="vendor"),
    path("vendor/<int:pk>/new", views.qualification_create, name="create"),
    path("<int:pk>/", views.qualification_detail, name="detail"),
    path("<int:pk>/edit", views.qualification_edit, name="edit"),
    path("<int:pk>/renew", views.qualification_renew, name="renew"),
    path("<int:pk>/verify", views.qualification_verify, name="verify"),
    path("<int:pk>/reject", views.qualification_reject, name="reject"),
    path("<int:pk>/documents", views.qualification_upload, name="upload"),
    path("<int:pk>/readings", views_reading.reading_panel, name="readings"),
    path("<int:pk>/delete", views.qualification_delete, name="delete"),
    path("engagements/", views_setup.engagement_index, name="engagements"),
    path(
        "engagements/<int:pk>/requirements",
        views_setup.engagement_requirements,
        name="engagement-requirements",
    ),
    path("requirements/<int:pk>/remove", views_setup.requirement_remove, name="requirement-remove"),
    path("types/", views_setup.type_list, name="types"),
    path("types/new", views_setup.type_edit, name="type-create"),
    path("types/<int:pk>/edit", views_setup.type_edit, name="type-edit"),
]
