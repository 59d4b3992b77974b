from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
]
