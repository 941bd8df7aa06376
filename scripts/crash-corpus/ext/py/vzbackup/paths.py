import os


def archive_path(config):
    # Bug: the storage root may be unset; os.path.join(None, ...) raises inside posixpath.
    return os.path.join(config.get("root"), "backups", config["name"])
