from django.urls import path

from . import views

app_name = "vendors"
urlpatterns = [
    path("", views.vendor_list, name="list"),
    path("new", views.vendor_create, name="create"),
    path("export.<str:fmt>", views.vendor_export, name="export"),
    path("<int:pk>/", views.vendor_detail, name="detail"),
    path("<int:pk>/edit", views.vendor_edit, name="edit"),
    path("<int:pk>/delete", views.vendor_delete, name="delete"),
    path("<int:pk>/contacts/new", views.contact_edit, name="contact-create"),
    path("<int:pk>/contacts/<int:contact_pk>", views.contact_edit, name="contact-edit"),
]
