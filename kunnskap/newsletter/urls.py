from django.urls import path

from . import views

app_name = "newsletter"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("qr.png", views.qr_code, {"fmt": "png"}, name="qr_png"),
    path("qr.svg", views.qr_code, {"fmt": "svg"}, name="qr_svg"),
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("utgaver/", views.issues, name="issues"),
    path("utgaver/ny/", views.issue_new, name="issue_new"),
    path("utgaver/<int:pk>/", views.issue, name="issue"),
]
