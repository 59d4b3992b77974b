from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Cluster, County, Hub, Municipality, Region, Unit


@admin.register(County)
class CountyAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "region"]
    list_editable = ["region"]
    list_select_related = ["region"]


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "norwegian_name", "county"]
    list_filter = ["county"]
    list_select_related = ["county"]
    search_fields = ["number", "name", "norwegian_name"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "host"]
    autocomplete_fields = ["host"]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["name", "motor"]
    autocomplete_fields = ["motor", "municipalities"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "is_active"]
    list_filter = ["is_active"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name"]
    autocomplete_fields = ["municipality"]


@admin.register(Hub)
class HubAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "is_active"]
    list_filter = ["level", "is_active"]
