from datetime import date, datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from kunnskap.accounts.api_auth import SIGNED_IN
from kunnskap.lib.http import SignedInApiRequest
from kunnskap.pagination import Pagination

from . import selectors

router = Router(tags=["accounts"])


class TaskOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    due: date | None
    hub: str | None
    since: datetime
    detail: str
    flags: list[str]
    counts: bool


@router.get("/me/tasks", response=list[TaskOut], auth=SIGNED_IN)
@paginate(Pagination)
def my_tasks(request: SignedInApiRequest, **kwargs):
    """What waits for you ("Mine oppgaver"), the same list as the page: by kind, oldest first.
    `url` is the page where it is done; `counts` is false for news about your own needs."""
    return [
        {
            "kind": task.kind,
            "kind_label": str(task.kind_label),
            "title": task.title,
            "url": request.build_absolute_uri(task.url),
            "due": task.due,
            "hub": task.hub,
            "since": task.since,
            "detail": task.detail,
            "flags": list(task.flags),
            "counts": task.counts,
        }
        for task in selectors.tasks_for(request.auth)
    ]
