from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.pilots, name="pilots"),
    path("piloter/ny/", views.pilot_create, name="pilot_create"),
    path("piloter/lignende/", views.pilot_similar, name="pilot_similar"),
    path("piloter/<int:pk>/", views.pilot_detail, name="pilot"),
    path("piloter/<int:pk>/endre/", views.pilot_edit, name="pilot_edit"),
    path("produkt/<int:publication_pk>/", views.adoption_new, name="adoption_new"),
    path("produkt/<int:publication_pk>/nytte/", views.usefulness, name="usefulness"),
    path("mmv/<int:publication_pk>/vedtak/", views.hta_decision, name="hta_decision"),
    path("bruk/<int:pk>/", views.adoption_detail, name="adoption"),
    path("bruk/<int:pk>/steg/", views.adoption_step, name="adoption_step"),
    path("bruk/<int:pk>/evaluering/", views.evaluation_new, name="evaluation_new"),
    path("mine/", views.tasks, name="tasks"),
    path("forfalte/", views.overdue, name="overdue"),
    path("vedtak/", views.accountability, name="accountability"),
    path("vedtak/<int:pk>/", views.accountability_detail, name="accountability_detail"),
]
