"""Command line entry point."""
import sys

from vzpanel import config, fmt, net, quota, stats, users


def cmd_config():
    cfg = config.load_config()
    print(cfg)


def cmd_list():
    # disk usage arrives as a string from the (simulated) API
    rows = [{"veid": 101, "hostname": "web1", "disk": 52311},
            {"veid": 102, "hostname": "db1", "disk": "1048576"}]
    for ct in rows:
        print(fmt.format_row(ct))


def cmd_stats():
    samples = [("node1", 0.5), ("node2", 0.7)]
    print(stats.load_report([(101, 0.5), (102, 0.25)]))
    print(stats.cluster_average(samples, {"node3"}))


def cmd_net():
    print(net.describe_network())


def cmd_users():
    print(users.load_users())


def cmd_quota():
    print(quota.load_quotas())


COMMANDS = {
    "config": cmd_config,
    "list": cmd_list,
    "stats": cmd_stats,
    "net": cmd_net,
    "users": cmd_users,
    "quota": cmd_quota,
}


def run_command(name):
    handler = COMMANDS[name]
    return handler()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: vzpanel %s" % "|".join(sorted(COMMANDS)), file=sys.stderr)
        return 2
    run_command(argv[0])
    return 0
