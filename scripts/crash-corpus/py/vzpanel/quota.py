"""Per-user quota records."""
from vzpanel.util import require_field


def fetch_quota_records():
    return [
        {"uid": 0, "blocks": 1200},
        {"blocks": 77},  # orphaned quota entry without uid
    ]


def load_quotas():
    quotas = {}
    for rec in fetch_quota_records():
        uid = require_field(rec, "uid")
        quotas[uid] = rec["blocks"]
    return quotas
