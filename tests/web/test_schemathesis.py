"""Property-based run of the JSON API against its own OpenAPI schema (schemathesis): no input
makes it answer 500. Bounded: a few examples per operation, as an editor (so writes run too)."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from prisonwatch.names.groups import warm_up
from prisonwatch.store.db import Database
from prisonwatch.store.users import create_token

MAX_EXAMPLES = 8


def test_no_input_makes_a_500(app: FastAPI, db: Database) -> None:
    warm_up()  # as `prisonwatch serve` does before it serves (names.groups.warm_up)
    with db.session() as s:
        _, secret = create_token(s, "editor", "schemathesis", actor="test")
    headers = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        run()
