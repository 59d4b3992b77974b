"""The API's one pagination: `limit` and `offset` with maxima, so a huge offset is a 422."""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Deeper than any list the service holds, far below what overflows a database integer.
MAX_OFFSET = 10_000_000


class Pagination(LimitOffsetPagination):
    """django-ninja's limit/offset pagination, `{count, items}`, with an upper bound on both."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=settings.NINJA_PAGINATION_MAX_LIMIT, **kwargs)
