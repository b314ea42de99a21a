"""url_for (hub.lib.urls) and static_url (hub_tags) give what reverse() and {% static %} give."""

import pytest
from django.template import Context, Template
from django.templatetags.static import static
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from hub.lib.urls import url_for
from hub.templatetags.hub_tags import static_url


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("home", ()),
        ("referrals:inbox", ()),
        ("referrals:detail", (1,)),
        ("referrals:detail", (2_147_483_647,)),
        ("cautions:case_detail", (0,)),
        ("cautions:breach_decide", (12, 345)),
        ("referrals:flag_acknowledge", (7,)),
    ],
)
def test_url_for_is_reverse(name, ids):
    assert url_for(name, *ids) == reverse(name, args=ids)
    assert url_for(name, *ids) == reverse(name, args=ids)  # again, from what it remembers


def test_url_for_hands_anything_but_ids_to_reverse():
    assert url_for("referrals:detail", "5") == reverse("referrals:detail", args=["5"])
    with pytest.raises(NoReverseMatch):
        url_for("referrals:detail", -1)
    with pytest.raises(NoReverseMatch):
        url_for("referrals:detail", True)
    with pytest.raises(NoReverseMatch):
        url_for("no-such-page")


def test_url_for_follows_the_script_prefix():
    url_for("referrals:detail", 3)
    set_script_prefix("/hub/")
    try:
        assert url_for("referrals:detail", 3) == "/hub/referrals/3/"
        assert url_for("referrals:detail", 3) == reverse("referrals:detail", args=[3])
    finally:
        clear_script_prefix()
    assert url_for("referrals:detail", 3) == "/referrals/3/"


def test_the_tags_render_as_url_and_static_do():
    rendered = Template(
        "{% load hub_tags %}{% url_for 'cautions:breach_decide' a b %}|{% static_url 'css/hub.css' %}"
    ).render(Context({"a": 4, "b": 9}))
    assert rendered == f"{reverse('cautions:breach_decide', args=[4, 9])}|{static('css/hub.css')}"


def test_static_url_follows_a_change_of_settings(settings):
    assert static_url("css/hub.css") == static("css/hub.css")
    settings.STATIC_URL = "/assets/"
    assert static_url("css/hub.css") == static("css/hub.css")
    assert static_url("css/hub.css").startswith("/assets/")
