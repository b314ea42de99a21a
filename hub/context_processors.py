from django.conf import settings
from django.urls import NoReverseMatch, reverse

from hub.navigation import NAV_ITEMS


def service(request) -> dict:
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        path = request.path
        for label, url_name, perm in NAV_ITEMS:
            if not user.has_perm(perm):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            nav.append({"label": label, "url": url, "active": path.startswith(url)})
        # The longest matching prefix is the current section.
        active = [item for item in nav if item["active"]]
        for item in active[:-1] if len(active) > 1 else []:
            item["active"] = False
        if len(active) > 1:
            best = max(active, key=lambda item: len(item["url"]))
            for item in nav:
                item["active"] = item is best
    return {
        "service_name": settings.SERVICE_NAME,
        "force_name": settings.FORCE_NAME,
        "phase": settings.PHASE,
        "nav_items": nav,
    }
