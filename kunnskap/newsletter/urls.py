from django.urls import path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("utgaver/", views.issues, name="issues"),
    path("utgaver/ny/", views.issue_new, name="issue_new"),
    path("utgaver/<int:pk>/", views.issue, name="issue"),
]
