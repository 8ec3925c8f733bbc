"""Flask-WTF forms with Dutch messages; shared field helpers."""
