"""Django's database sessions, read with one plain SQL statement.

Every signed-in request reads its session; with the rest of a cached page costing well under a
millisecond, building that query through the ORM was the largest part of a request (measured
on the staff list of needs at 100,000 needs). The table, the rows and everything else are
Django's own.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        # django-stubs leave out SessionBase._validate_session_key (private in Django).
        if not key or not self._validate_session_key(key):  # type: ignore[attr-defined]
            self._session_key = None
            return None
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                [key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=key, session_data=row[0])
