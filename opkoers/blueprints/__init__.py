"""Blueprints, one per area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import actions, admin, auth, cases, documents, main

    for module in (auth, main, admin, cases, documents, actions):
        app.register_blueprint(module.bp)
