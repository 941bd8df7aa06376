def read_manifest(entries):
    # Bug: a manifest without "ctid" is not reported as a BackupError at the source.
    return {"ctid": entries["ctid"], "size": entries.get("size", 0)}
