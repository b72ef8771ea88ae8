"""Bad parameters never make a 500: lengths, huge ids, oversized JSON bodies (413)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from prisonwatch.store.db import Database
from prisonwatch.store.users import create_token
from prisonwatch.web.limits import MAX_API_BODY


@pytest.fixture
def editor_api(app: FastAPI, db: Database) -> TestClient:
    with db.session() as s:
        _, secret = create_token(s, "editor", "tests", actor="test")
    return TestClient(app, headers={"Authorization": f"Bearer {secret}"})


BAD_LENGTHS = [
    "0 months",
    "abc",
    "99999999 years",
    "400000 days",
    "12 fortnights",
    "-1m",
    "1" * 30 + "d",
    "9999 years",
    "x" * 200,
]


def test_bad_length_is_a_client_error(public_app: FastAPI) -> None:
    """Anonymous readers of a public registry, every bad length, with and without a pivot."""
    client = TestClient(public_app, raise_server_exceptions=False)
    for path in ("/changes", "/changes/compare", "/api/v1/changes/compare"):
        for around in ("", "&around=2025-09-11", "&around=0001-01-01"):
            for length in BAD_LENGTHS:
                resp = client.get(f"{path}?length={length}{around}")
                assert resp.status_code in (400, 404, 422), (path, length, around, resp.status_code)
                if path.startswith("/api/"):
                    assert set(resp.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("source_id", [2**63, 2**64, 2**31, -1, 0])
def test_huge_source_id_of_a_figure(editor_api: TestClient, source_id: int) -> None:
    resp = editor_api.post(
        "/api/v1/changes/figures",
        json={
            "value": 1300,
            "as_of": "2025-09-11",
            "wording": "about 1,300",
            "source_id": source_id,
        },
    )
    assert resp.status_code == 422, resp.text
    assert resp.json()["error"]["code"] == "invalid"


def test_json_body_limit_declared(editor_api: TestClient) -> None:
    big = b'{"names": [' + b'"x",' * (MAX_API_BODY // 4) + b'"x"]}'
    resp = editor_api.post(
        "/api/v1/people", content=big, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_large"


def test_json_body_limit_chunked(editor_api: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"names": ['
        for _ in range(MAX_API_BODY // 4000 + 2):
            yield b'"x",' * 1000
        yield b'"x"]}'

    resp = editor_api.post(
        "/api/v1/people", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 413
    assert resp.json()["error"]["code"] == "too_large"


def test_a_normal_body_passes(editor_api: TestClient) -> None:
    resp = editor_api.post("/api/v1/people", json={"names": [{"text": "Ян Лімітаў"}]})
    assert resp.status_code == 201, resp.text
