from django.urls import path

from . import feeds, views

app_name = "library"
urlpatterns = [
    path("", views.library, name="list"),
    path("ny/", views.edit, name="create"),
    path("feed/", feeds.LatestFeed(), name="feed"),
    path("feed/type/<str:kind>/", feeds.KindFeed(), name="feed_kind"),
    path("feed/tema/<slug:key>/", feeds.ThemeFeed(), name="feed_theme"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/endre/", views.edit, name="edit"),
    path("<int:pk>/trekk-tilbake/", views.withdraw, name="withdraw"),
    path("<int:pk>/publikasjon.pdf", views.pdf, name="pdf"),
]
