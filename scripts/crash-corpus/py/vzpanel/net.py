"""Network helpers."""


class Iface:
    def __init__(self, name, addr, primary=False):
        self.name = name
        self.addr = addr
        self.primary = primary


def list_ifaces():
    return [Iface("venet0", "127.0.0.1"), Iface("eth1", "10.0.0.5")]


def primary_iface(ifaces):
    for iface in ifaces:
        if iface.primary:
            return iface
    return None


def describe_network():
    iface = primary_iface(list_ifaces())
    return "primary: %s (%s)" % (iface.name, iface.addr)
