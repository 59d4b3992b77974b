"""The menu's count of tasks, kept per person in the cache and made stale by any change.

Counting reads every kind of task (a dozen queries, `selectors.tasks_for`), and the menu shows
the count on every page a signed-in person opens. So the count is kept in Django's cache under
a key holding a generation number, which every save or delete of a model that tasks are read
from moves on, and the day (a milestone comes within reach by the date alone). A page then
costs two cache reads. The number is moved on at once and again when the transaction commits:
a reader who counted between the two, from rows not yet committed, is not believed for long.
An entry lives at most `COUNT_SECONDS`, which also bounds what no signal sees (bulk inserts of
`kunnskap generate`, or several processes each with its own local-memory cache).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from kunnskap.accounts.models import User

from .selectors import task_count, tasks_for

GENERATION_KEY = "inbox:generation"
COUNT_SECONDS = 300


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 0, timeout=None)
        value = cache.get(GENERATION_KEY, 0)
    return int(value)


def _increment() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted: start again
        cache.add(GENERATION_KEY, 1, timeout=None)


def bump(**_signal: Any) -> None:
    """Make every kept count stale (now, and when the changing transaction commits)."""
    _increment()
    transaction.on_commit(_increment)


def count_for(user: User) -> int:
    """How many things wait for this person (news about her own needs not included)."""
    key = f"inbox:count:{user.pk}:{generation()}:{timezone.localdate().isoformat()}"
    count = cache.get(key)
    if count is None:
        count = task_count(tasks_for(user))
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def remember(user: User, count: int) -> None:
    """Keep a count just computed by the page that lists the tasks."""
    key = f"inbox:count:{user.pk}:{generation()}:{timezone.localdate().isoformat()}"
    cache.set(key, count, COUNT_SECONDS)


def _senders() -> list[type[models.Model]]:
    from kunnskap.accounts.models import RoleAssignment
    from kunnskap.assessments.models import Assessment, Comment, Participant, SectionRevision
    from kunnskap.commissions.models import Commission, Milestone
    from kunnskap.followup.models import Adoption
    from kunnskap.learning.models import Case
    from kunnskap.library.models import Publication
    from kunnskap.organisations.models import Hub
    from kunnskap.proposals.models import Proposal
    from kunnskap.rounds.models import Entry, Member, Round, Score, Scorecard
    from kunnskap.screening.models import ScreeningVote

    return [
        RoleAssignment,
        Hub,
        Proposal,
        ScreeningVote,
        Round,
        Member,
        Entry,
        Scorecard,
        Score,
        Commission,
        Milestone,
        Publication,
        Assessment,
        Participant,
        Comment,
        # Section texts are saved by a compare-and-swap UPDATE (no signal); each save also
        # writes a revision row, which does.
        SectionRevision,
        Adoption,
        Case,
    ]


def connect() -> None:
    for model in _senders():
        uid = f"inbox-{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete")


class LazyCount:
    """The count for the page frame, computed only if a template asks, and once."""

    def __init__(self, user: Any) -> None:
        self._user = user
        self._value: int | None = None

    def __call__(self) -> int:
        if self._value is None:
            self._value = count_for(self._user) if isinstance(self._user, User) else 0
        return self._value
