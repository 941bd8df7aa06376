"""Container user accounts."""
from vzpanel.util import require_field


def fetch_users():
    return [
        {"uid": 0, "name": "root"},
        {"uid": 1000, "name": "admin"},
        {"name": "backup"},  # record without uid
    ]


def load_users():
    users = {}
    for rec in fetch_users():
        uid = require_field(rec, "uid")
        users[uid] = rec["name"]
    return users
