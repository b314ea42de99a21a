"""The slots of cautions' pages that higher apps fill (cautions.panels, {% panel %})."""

import datetime as dt

import pytest
from django.template import Context, Template

from cautions import panels
from cautions.panels import Panel


@pytest.fixture
def registry(monkeypatch):
    """The registry as the apps left it, restored after the test."""
    copy = {slot: dict(builders) for slot, builders in panels._registry.items()}
    monkeypatch.setattr(panels, "_registry", copy)
    return copy


def _timeline(title):
    event = {"title": title, "at": dt.datetime(2025, 3, 1, 10, 0), "actor": "", "description": ""}
    return lambda **kwargs: Panel("components/timeline.html", {"events": [event]})


def test_panels_come_in_their_fixed_order_whatever_the_order_of_registration(registry):
    registry["worklist"].clear()
    panels.register("worklist", "late", _timeline("late"), order=200)
    panels.register("worklist", "b", _timeline("b"))
    panels.register("worklist", "a", _timeline("a"))
    panels.register("worklist", "early", _timeline("early"), order=10)
    assert panels.registered("worklist") == ["early", "a", "b", "late"]
    titles = [p.context["events"][0]["title"] for p in panels.panels_for("worklist", user=None)]
    assert titles == ["early", "a", "b", "late"]


def test_registering_a_name_again_replaces_it(registry):
    registry["worklist"].clear()
    panels.register("worklist", "flags", _timeline("first"))
    panels.register("worklist", "flags", _timeline("second"))
    [only] = panels.panels_for("worklist", user=None)
    assert only.context["events"][0]["title"] == "second"


def test_a_builder_with_nothing_to_show_adds_no_panel(registry):
    registry["case_support"].clear()
    panels.register("case_support", "empty", lambda *, case, user: None)
    assert panels.panels_for("case_support", case=None, user=None) == []


def test_slots_and_their_arguments_are_checked(registry):
    with pytest.raises(ValueError, match="No slot 'sidebar'"):
        panels.register("sidebar", "x", _timeline("x"))
    with pytest.raises(TypeError, match="built from case, user"):
        panels.panels_for("case_support", user=None)


def test_the_panel_tag_includes_the_template_with_the_panels_context_added():
    template = Template("{% load cautions_panels %}<main>{% panel p %}</main>{{ events }}")
    html = template.render(Context({"p": _timeline("Flag raised")(), "events": "page's own"}))
    assert '<div class="moj-timeline">' in html
    assert '<h3 class="moj-timeline__title">Flag raised</h3>' in html
    # The panel's context is the panel's: the page's own value is back after it.
    assert html.endswith("</main>page&#x27;s own")
