"""Every URL pattern of the project, with sample arguments, so access tests cover views
that did not exist when the test was written."""

from django.urls import URLPattern, URLResolver, get_resolver

# Sample values for path converters: an id that does not exist still must not be reachable
# anonymously.
SAMPLE_KWARGS = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "x",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern), entry


def project_urls(exclude_prefixes=("admin/",)):
    """(name, concrete path) for every pattern outside the excluded prefixes."""
    import re

    found = []
    for name, route, _entry in _walk(get_resolver().url_patterns):
        if route.startswith(exclude_prefixes) or route.startswith("^"):
            continue
        path = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_KWARGS.get(m.group(1) or "str", "1"), route)
        found.append((name, "/" + path))
    return found
