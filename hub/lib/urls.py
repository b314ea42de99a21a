"""Links with ids, worked out once per process (`{% url_for %}` in templates, hub_tags)."""

from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

# Stand-ins for ids when a URL's shape is worked out (url_for): numbers no row has.
_ID_STAND_IN = 2_147_480_000


@lru_cache(maxsize=512)
def _url_parts(viewname: str, args: int, prefix: str, urlconf, root_urlconf) -> tuple[str, ...]:
    url = reverse(viewname, args=[_ID_STAND_IN + i for i in range(args)], urlconf=urlconf)
    parts = []
    for i in range(args):
        before, url = url.split(str(_ID_STAND_IN + i), 1)
        parts.append(before)
    parts.append(url)
    return tuple(parts)


def url_for(viewname: str, *ids) -> str:
    """What reverse(viewname, args=ids) returns for a URL whose arguments are ids (<int:...>),
    without reversing it again for each row of a list: the URL's shape is worked out once
    per process (and script prefix) and each call puts its ids in. Anything but non-negative
    ints goes to reverse() as usual. Holds URL patterns only, nothing of a request."""
    if not all(type(i) is int and i >= 0 for i in ids):
        return reverse(viewname, args=ids)
    parts = _url_parts(
        viewname, len(ids), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF
    )
    return "".join(part + str(i) for part, i in zip(parts, ids, strict=False)) + parts[-1]


def _forget_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _url_parts.cache_clear()


setting_changed.connect(_forget_urls)
