"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import actions, admin, auth, cases, documents, main, notifications

    for module in (auth, main, admin, cases, documents, actions, notifications):
        app.register_blueprint(module.bp)
