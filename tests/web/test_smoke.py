from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient


def test_pages_render(client_for: Callable[[str | None], TestClient], seeded) -> None:  # type: ignore[no-untyped-def]
    c = client_for("admin")
    for path in (
        "/",
        "/people",
        f"/people/{seeded.statkevich}",
        "/search?q=statkevich",
        "/audit",
        "/people/new",
        f"/people/{seeded.statkevich}/events/new",
    ):
        r = c.get(path)
        assert r.status_code == 200, (path, r.text[:2000])
