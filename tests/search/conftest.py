import pytest

from kunnskap.search.services import document_index


@pytest.fixture
def index(db):
    """Index a document with sensible defaults: index(key="1", title=..., body=...)."""

    def add(key: str, title: str, body: str = "", kind: str = "publication", public: bool = True):
        document_index(kind=kind, key=key, title=title, body=body, public=public)

    return add


def keys(hits) -> list[str]:
    return [hit.key for hit in hits]
