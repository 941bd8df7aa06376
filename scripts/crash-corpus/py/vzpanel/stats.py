"""Usage statistics."""


def mean(values):
    return sum(values) / len(values)


def load_report(samples):
    per_ct = {}
    for veid, load in samples:
        per_ct.setdefault(veid, []).append(load)
    return {veid: mean(v) for veid, v in per_ct.items()}


def cluster_average(samples, nodes):
    loads = [load for node, load in samples if node in nodes]
    return mean(loads)
