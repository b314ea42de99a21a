from django.conf import settings

from hub.lib.urls import url_for
from hub.navigation import NAV_ITEMS


def service(request) -> dict:
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        # A nav item naming a URL that does not exist is a bug: reverse() fails loudly (url_for
        # reverses each URL once per process).
        nav = [
            {"label": label, "url": url_for(url_name), "active": False}
            for label, url_name, perm in NAV_ITEMS
            if user.has_perm(perm)
        ]
        # The current section is the item whose URL is the longest prefix of the path.
        matching = [item for item in nav if request.path.startswith(item["url"])]
        if matching:
            max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {
        "service_name": settings.SERVICE_NAME,
        "force_name": settings.FORCE_NAME,
        "phase": settings.PHASE,
        "nav_items": nav,
    }
