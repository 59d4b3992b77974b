"""Schemathesis over the whole /api/v1 schema, anonymous and with an administrator's token:
whatever a client sends, the answer is never a server error.

`SCHEMATHESIS_EXAMPLES` sets the examples per operation and identity (default 100, what CI runs).
"""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kunnskap.accounts import services as accounts
from kunnskap.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES") or 100)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def app(db, hov_hub) -> Iterator[None]:
    """Call the WSGI application in this test's transaction, as Django's test client does: the
    end of a request must not close the test's database connection."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def admin_token(ada) -> dict[str, str]:
    _token, raw = accounts.token_create(user=ada, name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


EVERY_INPUT = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


@pytest.mark.slow
@schema.parametrize()
@EVERY_INPUT
def test_no_anonymous_input_gives_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.slow
@schema.parametrize()
@EVERY_INPUT
def test_no_administrator_input_gives_a_server_error(case, admin_token):
    case.call_and_validate(headers=admin_token, checks=[not_a_server_error])
