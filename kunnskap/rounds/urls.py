from django.urls import path

from . import views

app_name = "rounds"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("ny/", views.round_create, name="create"),
    path("vedtak/", views.decision_log, name="decision_log"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/administrer/", views.round_manage, name="manage"),
    path("<int:pk>/vurdering/", views.score, name="score"),
    path("<int:pk>/rangering/", views.ranking_page, name="ranking"),
    path("<int:pk>/innstilling/", views.recommendation, name="recommendation"),
    path("<int:pk>/innstilling.docx", views.recommendation_docx, name="recommendation_docx"),
    path("<int:pk>/innstilling.pdf", views.recommendation_pdf, name="recommendation_pdf"),
    path("<int:pk>/vedtak/", views.decisions, name="decisions"),
]
