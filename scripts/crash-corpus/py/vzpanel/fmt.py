"""Output formatting."""


def format_size(size):
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024:
            return "%.1f %s" % (size, unit)
        size = size / 1024
    return "%.1f TiB" % size


def format_row(ct):
    return "%-6s %-20s %10s" % (ct["veid"], ct["hostname"], format_size(ct["disk"]))
