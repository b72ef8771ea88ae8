"""An unexpected error answers 500 with an incident id, and the log gets the incident id and the
error type only: no message, no traceback, no SQL parameters (they quote private values).
The app must not let the exception escape either — the server (uvicorn) would print it with
its full traceback and message."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

SECRET = "SECRET-RELATIVE-PHONE-555-0199"


def _add_failing_routes(app: FastAPI) -> None:
    def plain() -> None:
        raise ValueError(f"contact {SECRET} rejected")

    def sql() -> None:
        with app.state.ctx.db.session() as s:
            s.execute(text("INSERT INTO no_such_table (contact) VALUES (:c)"), {"c": SECRET})

    app.add_api_route("/api/v1/boom", plain)
    app.add_api_route("/boom", plain)
    app.add_api_route("/api/v1/boom-sql", sql)


@pytest.mark.parametrize("path", ["/api/v1/boom", "/boom", "/api/v1/boom-sql"])
def test_a_500_logs_an_incident_id_and_the_error_type_only(
    public_app: FastAPI, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    _add_failing_routes(public_app)
    caplog.set_level(logging.DEBUG)
    client = TestClient(public_app, raise_server_exceptions=True)  # nothing may escape
    resp = client.get(path)
    assert resp.status_code == 500
    assert SECRET not in resp.text and "incident" in resp.text
    incident = resp.text.split("incident ")[1][:12]
    lines = [r for r in caplog.records if incident in r.getMessage()]
    assert len(lines) == 1
    assert ("ValueError" if "sql" not in path else "Error") in lines[0].getMessage()
    for record in caplog.records:
        assert SECRET not in record.getMessage()
        assert record.exc_info is None and not record.exc_text, record.getMessage()
