import os


class Archive:
    handle = None


def cleanup(archive):
    # Bug: cleanup assumes the archive was opened.
    archive.handle.close()


def restore_archive(path):
    archive = Archive()
    try:
        archive.handle = open(os.path.join(path, "root.hdd"), "rb")
    except OSError:
        cleanup(archive)
        raise
    return archive
