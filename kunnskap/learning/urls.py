from django.urls import path

from . import views
from .calendar import EventFeed

app_name = "learning"
urlpatterns = [
    path("kunnskapsbroen/", views.home, name="home"),
    path("kunnskapsbroen/innsikt/", views.insights, name="insights"),
    path("kunnskapsbroen/lag/ny/", views.team_create, name="team_create"),
    path("kunnskapsbroen/lag/<int:pk>/", views.team_detail, name="team"),
    path("kunnskapsbroen/lag/<int:pk>/ny-sak/", views.case_create, name="case_create"),
    path("kunnskapsbroen/sak/<int:pk>/", views.case_detail, name="case"),
    path("arrangementer/", views.event_list, name="events"),
    path("arrangementer/ny/", views.event_create, name="event_create"),
    path("arrangementer/kalender.ics", views.events_ics, name="events_ics"),
    path("arrangementer/feed/", EventFeed(), name="events_feed"),
    path("arrangementer/feed/<int:hub_id>/", EventFeed(), name="hub_events_feed"),
    path("arrangementer/avmelding/<str:token>/", views.cancel, name="cancel"),
    path("arrangementer/<int:pk>/", views.event_detail, name="event"),
    path("arrangementer/<int:pk>/kalender.ics", views.event_ics, name="event_ics"),
    path("arrangementer/<int:pk>/deltakere/", views.event_manage, name="event_manage"),
    path("arrangementer/<int:pk>/deltakere.csv", views.event_export_csv, name="event_csv"),
    path("arrangementer/<int:pk>/deltakere.xlsx", views.event_export_xlsx, name="event_xlsx"),
    path(
        "arrangementer/pamelding/<int:pk>/avmeld/",
        views.my_registration_cancel,
        name="my_registration_cancel",
    ),
]
