from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views
from .accounts import views as account_views
from .api import api
from .insights import views as insights_views
from .operations import views as operations_views
from .screening import views as screening_views

admin.site.site_header = _("Kunnskapsstøtte administration")
admin.site.site_title = settings.SITE_NAME

urlpatterns = [
    path("", views.home, name="home"),
    path("personvern/", views.privacy, name="privacy"),
    path("kommuner/", include("kunnskap.organisations.urls")),
    path("kunnskapsbehov/", include("kunnskap.proposals.urls")),
    path("forskningsbehov/", screening_views.research_gaps, name="research_gaps"),
    path("sekretariat/vurdering/", include("kunnskap.screening.urls")),
    path("bibliotek/", include("kunnskap.library.urls")),
    path("nyhetsbrev/", include("kunnskap.newsletter.urls")),
    path("runder/", include("kunnskap.rounds.urls")),
    path("bestillinger/", include("kunnskap.commissions.urls")),
    path("mmv/", include("kunnskap.assessments.urls")),
    path("nyttiggjort/", include("kunnskap.followup.urls")),
    path("innsikt/", include("kunnskap.insights.urls")),
    path("statistikk/", insights_views.public_statistics, name="statistics"),
    path("", include("kunnskap.learning.urls")),
    path("konto/", include("kunnskap.accounts.urls")),
    path("konto/", include("kunnskap.accounts.allauth_urls")),
    path("mine-oppgaver/", include("kunnskap.inbox.urls")),
    path("konto/", include("kunnskap.accounts.oidc_urls")),
    path("sprak/", account_views.language_set, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", operations_views.readyz, name="readyz"),
    path("ping", views.ping, name="ping"),
    path("api/v1/", api.urls),
    # The admin site signs in through our sign-in page: the same limits and two-step sign-in.
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
]

handler403 = "kunnskap.views.permission_denied"
handler404 = "kunnskap.views.page_not_found"
