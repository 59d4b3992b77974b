from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ThesaurusEntry


@admin.register(ThesaurusEntry)
class ThesaurusEntryAdmin(SimpleHistoryAdmin):
    # Librarians' additions to data/thesaurus.txt; a search uses them within a minute, with no
    # reindex (see thesaurus.py). Staff need the model's rights (the admin site asks them).
    list_display = ["term", "relation", "related", "updated_at"]
    list_filter = ["relation"]
    search_fields = ["term", "related"]
    fields = ["term", "relation", "related", "note"]
