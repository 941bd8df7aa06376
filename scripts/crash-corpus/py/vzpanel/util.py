"""Small helpers shared by the loaders."""


def require_field(record, field):
    """Return record[field]; callers are expected to validate records first."""
    value = record[field]
    if isinstance(value, str):
        value = value.strip()
    return value


def parse_size(text):
    text = text.strip().upper()
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)
