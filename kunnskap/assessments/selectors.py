"""Reads of mini-HTAs: a user's role in one, the text as one document, progress and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from . import answers
from .models import (
    Assessment,
    AssessmentVersion,
    Comment,
    Participant,
    Question,
    Section,
    SectionRevision,
    SectionText,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kunnskap.accounts.models import User


def role_of(user: User | AnonymousUser, assessment: Assessment) -> str | None:
    """The user's role in this assessment's group, or None; read once per assessment object."""
    if not user.is_authenticated:
        return None
    cache = assessment.__dict__.setdefault("_roles", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Participant.objects.filter(assessment=assessment, user=user)
            .values_list("role", flat=True)
            .first()
        )
    return cache[user.pk]


def assessments_of(user: User | AnonymousUser) -> QuerySet[Assessment]:
    """The assessments a user takes part in, newest first."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    return (
        Assessment.objects.filter(participants__user=user)
        .select_related("municipality", "lead")
        .annotate(
            open_comments=Count(
                "comments", filter=Q(comments__resolved_at__isnull=True), distinct=True
            )
        )
        .order_by("-updated_at", "-pk")
    )


def sections_of(assessment: Assessment) -> list[Section]:
    return list(
        assessment.template.sections.prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position"))
        )
    )


@dataclass
class QuestionView:
    """A question with its answer, for pages, print and Word; built from live data or from a
    published snapshot, which have the same shape."""

    key: str
    label: str
    kind: str
    config: dict[str, Any]
    guidance: str
    value: Any
    errors: list[str] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return answers.is_answered(self, self.value)

    @property
    def text(self) -> str:
        return answers.as_text(self, self.value)

    @property
    def columns(self) -> list[answers.Column]:
        return answers.columns(self)

    @property
    def years(self) -> list[tuple[int, str]]:
        return [(y, answers.year_label(y)) for y in answers.years(self)]

    @property
    def totals(self) -> list[int | float]:
        return answers.cost_totals(self, self.value or [])

    @property
    def table(self) -> list[list[str]]:
        """Table rows as cells, in column order."""
        return [[c.display(row.get(c.key, "")) for c in self.columns] for row in self.value or []]

    @property
    def ynu(self) -> list[tuple[str, str]]:
        return [(code, str(label)) for code, label in answers.YNU.items()]

    @property
    def pico(self) -> list[tuple[str, str, str]]:
        value = self.value or {}
        return [(part, str(label), value.get(part, "")) for part, label in answers.PICO.items()]

    @property
    def input_rows(self) -> list[Any]:
        """The rows of a table in a form: the saved ones and a few empty ones."""
        rows = list(self.value or []) if isinstance(self.value, list) else []
        if self.kind == "costs":
            years = self.years
            blank = {"item": "", "category": "", "amounts": [None] * len(years)}
            return [
                {
                    "item": row.get("item", ""),
                    "category": row.get("category", ""),
                    "cells": list(
                        zip(
                            row.get("amounts") or [None] * len(years),
                            [y[1] for y in years],
                            strict=False,
                        )
                    ),
                }
                for row in [*rows, *[blank] * answers.BLANK_ROWS]
            ]
        columns = self.columns
        return [
            [(column, row.get(column.key, "")) for column in columns]
            for row in [*rows, *[{}] * answers.BLANK_ROWS]
        ]


@dataclass
class SectionView:
    key: str
    title: str
    guidance: str
    questions: list[QuestionView]

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answered)


def content_of(assessment: Assessment) -> list[dict[str, Any]]:
    """The whole working text as plain data: what a published version freezes."""
    texts = {t.section_id: t.data for t in SectionText.objects.filter(assessment=assessment)}
    return [
        {
            "key": section.key,
            "title": section.title,
            "guidance": section.guidance,
            "questions": [
                {
                    "key": q.key,
                    "label": q.label,
                    "kind": q.kind,
                    "config": q.config,
                    "guidance": q.guidance,
                    "value": texts.get(section.pk, {}).get(q.key, answers.empty(q)),
                }
                for q in section.questions.all()
            ],
        }
        for section in sections_of(assessment)
    ]


def readable_content(
    user: User | AnonymousUser, assessment: Assessment
) -> tuple[list[dict[str, Any]], AssessmentVersion | None] | None:
    """What this reader may read: the working text for the group and the method team, else the
    latest published version, else nothing (None). Once published, the text is the version for
    everyone, so a paper printed by the group says which version it is, not "working text"."""
    from kunnskap.accounts import policy

    from .models import Status

    if assessment.status == Status.PUBLISHED:
        version = assessment.versions.first()
        if version is not None:
            return version.content, version
    if policy.may_read_assessment(user, assessment, role_of(user, assessment)):
        return content_of(assessment), None
    version = assessment.versions.first()
    return (version.content, version) if version is not None else None


def document(content: list[dict[str, Any]]) -> list[SectionView]:
    return [
        SectionView(
            key=s["key"],
            title=s["title"],
            guidance=s.get("guidance", ""),
            questions=[QuestionView(**q) for q in s["questions"]],
        )
        for s in content
    ]


def section_progress(assessment: Assessment) -> list[dict[str, Any]]:
    """Per section: answered questions, who saved last and when, open comments."""
    texts = {
        t.section_id: t
        for t in SectionText.objects.filter(assessment=assessment).select_related("updated_by")
    }
    open_comments = dict(
        Comment.objects.filter(assessment=assessment, resolved_at__isnull=True)
        .values_list("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    rows = []
    for section in sections_of(assessment):
        text = texts.get(section.pk)
        data = text.data if text else {}
        questions = list(section.questions.all())
        rows.append(
            {
                "section": section,
                "total": len(questions),
                "answered": sum(1 for q in questions if answers.is_answered(q, data.get(q.key))),
                "text": text,
                "open_comments": open_comments.get(section.pk, 0),
            }
        )
    return rows


def revisions(assessment: Assessment, section: Section, limit: int = 20) -> list[SectionRevision]:
    """The section's saves, newest first, with the labels of the questions each changed."""
    labels = {q.key: q.label for q in section.questions.all()}
    rows = list(
        SectionRevision.objects.filter(assessment=assessment, section=section).select_related("by")[
            :limit
        ]
    )
    for row in rows:
        row.changed_labels = [labels.get(key, key) for key in row.changed]
    return rows


def comments(assessment: Assessment, section: Section | None = None) -> QuerySet[Comment]:
    rows = Comment.objects.filter(assessment=assessment).select_related(
        "author", "resolved_by", "section"
    )
    return rows.filter(section=section) if section is not None else rows
