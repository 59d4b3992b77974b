from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("behov/<str:public_id>/", views.own_need, name="own_need"),
]
