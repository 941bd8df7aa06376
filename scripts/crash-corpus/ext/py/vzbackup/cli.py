import sys

from vzbackup import backup, paths, restore


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[0] if argv else "backup"
    if cmd == "backup":
        return backup.run_backup({"size": 10})
    if cmd == "restore":
        restore.restore_archive("/nonexistent/ct101")
        return 0
    if cmd == "path":
        print(paths.archive_path({"name": "ct101"}))
        return 0
    return 2
