from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("runde/<int:pk>/", views.round_report, name="round_report"),
    path("tabell/<slug:slug>.csv", views.table_csv, name="table_csv"),
    path("tabell/<slug:slug>.xlsx", views.table_xlsx, name="table_xlsx"),
    path("apne-data/", views.open_data, name="open_data"),
    path("apne-data/<slug:slug>.csv", views.open_data_csv, name="open_data_csv"),
    path("apne-data/<slug:slug>.json", views.open_data_json, name="open_data_json"),
]
