"""Django's model backend, with the signed-in user read in plain SQL (figures in `sessions.py`).

Every signed-in request reads its user; on a cached page the ORM's query building was a large
part of the request (see `sessions.py`). Signing in, permissions and everything else are
Django's own.
"""

from typing import Any

from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        found = list(
            model._default_manager.raw(
                f"SELECT * FROM {model._meta.db_table} WHERE id = %s", [user_id]
            )
        )
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
