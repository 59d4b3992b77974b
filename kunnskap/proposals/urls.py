from django.urls import path

from . import views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("kunnskapsbehov.csv", views.proposal_csv, name="csv"),
    path("nytt/", views.submit, name="submit"),
    path("nytt/likner/", views.similar, name="similar"),
    path("nytt/enheter/", views.unit_options, name="unit_options"),
    path("lenke/", views.resend, name="resend"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/endre/", views.edit, name="edit"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/tilslutning/", views.endorse, name="endorse"),
]
