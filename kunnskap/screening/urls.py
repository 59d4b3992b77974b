from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:public_id>/", views.screening_page, name="page"),
]
