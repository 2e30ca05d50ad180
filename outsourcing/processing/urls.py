from django.urls import path

from . import views

app_name = "processing"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new", views.order_create, name="create"),
    path("items/", views.item_list, name="items"),
    path("<int:pk>/", views.order_detail, name="detail"),
]
