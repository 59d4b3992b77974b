from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("", views.commission_list, name="list"),
    path("ny/<int:entry_id>/", views.commission_create, name="create"),
    path("<int:pk>/", views.commission_detail, name="detail"),
]
