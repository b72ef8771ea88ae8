"""The review queue and its judgements show a viewer no private name of a registry person
(issue 12: private data never reaches a reader below editor)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from webhelpers import SECRETS, Seeded

from prisonwatch.reconcile.review import judge
from prisonwatch.store.db import Database
from prisonwatch.store.schema import ReviewItem

Client = Callable[[str | None], TestClient]


def _queue(db: Database, seeded: Seeded) -> None:
    with db.session() as s:
        for key, name in (
            ("list:a:1", "Mikalai Statkevich"),  # a public name of the person
            ("list:a:2", SECRETS["private_name"]),  # the person's private alias
        ):
            s.add(
                ReviewItem(
                    left_key=key,
                    right_key=f"person:{seeded.statkevich}",
                    left_name="Statkevich M.",
                    right_name=name,
                    score=0.7,
                    why="test",
                    context="test",
                )
            )
        s.add(
            ReviewItem(
                left_key="list:a:3",
                right_key=f"person:{seeded.hidden}",
                left_name="Someone",
                right_name=SECRETS["private_name"] + " Second",
                score=0.7,
                why="test",
                context="test",
            )
        )


def test_viewers_see_no_private_name_in_the_review_queue(
    client_for: Client, db: Database, seeded: Seeded
) -> None:
    _queue(db, seeded)
    viewer, editor = client_for("viewer"), client_for("editor")
    for path in ("/review", "/api/v1/review", "/lists"):
        body = viewer.get(path).text
        assert SECRETS["private_name"] not in body, path
    api = viewer.get("/api/v1/review").json()
    assert api["total"] == 1 and api["items"][0]["right_name"] == "Mikalai Statkevich"
    staff = editor.get("/api/v1/review").json()
    assert staff["total"] == 3
    assert SECRETS["private_name"] in editor.get("/review").text


def test_a_judgement_naming_a_private_name_is_not_in_a_viewers_audit_log(
    client_for: Client, db: Database, seeded: Seeded
) -> None:
    with db.session() as s:
        judge(
            s,
            "list:a:2",
            f"person:{seeded.statkevich}",
            "same",
            "test:editor",
            left_name="Statkevich M.",
            right_name=SECRETS["private_name"],
        )
        judge(
            s,
            "list:a:1",
            f"person:{seeded.statkevich}",
            "same",
            "test:editor",
            left_name="Statkevich M.",
            right_name="Mikalai Statkevich",
        )
    viewer_log = client_for("viewer").get("/api/v1/audit?entity_type=judgement").json()
    assert SECRETS["private_name"] not in str(viewer_log)
    assert len(viewer_log["items"]) == 1  # the judgement under the public name stays visible
    admin_log = client_for("admin").get("/api/v1/audit?entity_type=judgement").json()
    assert len(admin_log["items"]) == 2
