"""The one bulk write to history-tracked models: a queryset `.update()` that keeps history.

`QuerySet.update()` writes no `simple_history` row, so on a tracked model the change would leave
no trace. Services that change many rows at once call `update_with_history` instead: it loads
the rows, changes them with one `bulk_update`, and writes one history row each. (A queryset
`.update()` stays fine for counters and for models without history.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from simple_history.utils import bulk_update_with_history

if TYPE_CHECKING:
    from kunnskap.accounts.models import User


def history_by(row: Model, actor: User | None) -> None:
    """Name who makes the next save of `row` in its history row (simple_history reads the
    instance's `_history_user` before the request's user), for saves outside a request."""
    vars(row)["_history_user"] = actor


def update_with_history(
    rows: QuerySet[Any], *, actor: User | None = None, **values: Any
) -> list[Model]:
    """Set `values` on every row of the queryset (locked by the caller), with a history row each."""
    changed = list(rows)
    for row in changed:
        for name, value in values.items():
            setattr(row, name, value)
    if changed:
        bulk_update_with_history(
            changed,
            rows.model,
            list(values),
            default_user=actor,
            manager=rows.model._default_manager,
        )
    return changed
