from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("suggest", views.suggestions, name="suggest"),
    path("options", views.picker_options, name="options"),
]
