"""Demo registrations and applications (placeholder until the real seed is written)."""


def seed(data, *, today):
    return []
