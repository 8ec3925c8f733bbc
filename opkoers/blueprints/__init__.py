"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        account,
        actions,
        admin,
        auth,
        budget,
        cases,
        deviations,
        documents,
        follow_up,
        handover,
        impact,
        mail,
        main,
        meetings,
        notifications,
        privacy,
    )

    for module in (
        auth,
        account,
        main,
        admin,
        cases,
        documents,
        actions,
        notifications,
        meetings,
        mail,
        budget,
        deviations,
        handover,
        follow_up,
        impact,
        privacy,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(meetings.feed_bp)
