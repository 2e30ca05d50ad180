from django.urls import path

from . import views, views_materials

app_name = "processing"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new", views.order_create, name="create"),
    path("items/", views_materials.item_list, name="items"),
    path("items/<int:pk>/bom/", views_materials.item_bom, name="bom"),
    path("stock/", views_materials.stock, name="stock"),
    path("stock/export.<str:fmt>", views_materials.stock_export, name="stock-export"),
    path("<int:pk>/", views.order_detail, name="detail"),
    path("<int:pk>/settle/", views.order_settle, name="settle"),
]
