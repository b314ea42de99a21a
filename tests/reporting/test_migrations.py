"""Issue 15 moved models between apps: a database migrated before it keeps every role's
permissions, and the content types follow the models (reporting 0002, cautions 0008)."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

pytestmark = pytest.mark.django_db

REPORTING_PERMISSIONS = {"view_dashboard", "export_aggregates", "import_data"}


@pytest.fixture
def content_types():
    ContentType.objects.clear_cache()
    yield ContentType.objects
    ContentType.objects.clear_cache()


def _migration(app: str, name: str):
    return importlib.import_module(f"{app}.migrations.{name}")


def _as_before_issue_15(content_types) -> None:
    """The layout of a database migrated with the code before the move."""
    batch = content_types.get(app_label="hub", model="importbatch")
    Permission.objects.filter(
        content_type__app_label="reporting", codename__in=REPORTING_PERMISSIONS
    ).update(content_type=batch)
    content_types.filter(app_label="reporting", model="reportingaccess").delete()
    content_types.filter(model__in=["importbatch", "reoffencerecord"]).update(app_label="reporting")
    content_types.filter(model="retentiondecision").update(app_label="hub")


def _effective(user_ids) -> dict[int, set[str]]:
    from django.contrib.auth import get_user_model

    cache.clear()  # hub.auth_backend keeps permission sets in the cache
    return {
        user.pk: user.get_all_permissions()
        for user in get_user_model().objects.filter(pk__in=user_ids)
    }


def test_an_existing_database_keeps_every_role_permission(
    content_types, officer, sergeant, caseworker, analyst, administrator
):
    users = [officer.pk, sergeant.pk, caseworker.pk, analyst.pk, administrator.pk]
    expected = _effective(users)
    _as_before_issue_15(content_types)
    old_batch_type = content_types.get(app_label="reporting", model="importbatch").pk
    assert "reporting.import_data" in _effective(users)[analyst.pk]

    _migration("reporting", "0002_national_records_to_hub").forwards(apps, None)
    _migration("cautions", "0008_retention_decision_from_hub").forwards(apps, None)
    content_types.clear_cache()

    assert _effective(users) == expected
    # Same rows, new labels: the import batch's content type is hub's now.
    assert content_types.get(app_label="hub", model="importbatch").pk == old_batch_type
    assert content_types.filter(app_label="hub", model="reoffencerecord").exists()
    assert content_types.filter(app_label="cautions", model="retentiondecision").exists()
    assert not content_types.filter(app_label="reporting", model="importbatch").exists()
    assert set(
        Permission.objects.filter(content_type__model="reportingaccess").values_list(
            "content_type__app_label", "codename"
        )
    ) == {("reporting", codename) for codename in REPORTING_PERMISSIONS}


def test_a_new_database_has_the_moved_models_under_their_new_apps(content_types):
    labels = set(
        content_types.filter(
            model__in=["importbatch", "reoffencerecord", "retentiondecision", "reportingaccess"]
        ).values_list("app_label", "model")
    )
    assert labels == {
        ("hub", "importbatch"),
        ("hub", "reoffencerecord"),
        ("cautions", "retentiondecision"),
        ("reporting", "reportingaccess"),
    }
