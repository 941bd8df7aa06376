"""Configuration loader."""

DEFAULTS = {
    "storage": {"driver": "ploop"},
    "network": {"bridge": "vmbr0"},
}


def read_config_text():
    # what /etc/vzpanel.conf would contain; "storage.root" is missing
    return {
        "storage": {"driver": "ploop", "template_dir": "/vz/template"},
        "network": {"bridge": "vmbr0", "mtu": "1500"},
    }


def load_config():
    raw = read_config_text()
    cfg = dict(DEFAULTS)
    cfg.update(raw)
    root = cfg["storage"]["root"]
    cfg["storage"]["private"] = root + "/private"
    return cfg
