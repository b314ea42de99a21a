import pytest

from hub.roles import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    # Tests sign in with force_login (no one-time password). Two-factor enforcement, on in
    # production, is proven by tests/security/test_two_factor.py, which turns it back on.
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _private_import_dir(settings, tmp_path_factory):
    # Uploads waiting for the worker (reporting.import_jobs) go to a directory of the test's.
    settings.IMPORT_UPLOAD_DIR = tmp_path_factory.mktemp("imports")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached reports (reporting.selectors) are keyed on ids, which a rolled-back test can reuse
    # on SQLite: every test starts with an empty cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(db):
    return make_user(Role.OFFICER, username="officer1")


@pytest.fixture
def sergeant(db):
    return make_user(Role.AUTHORISING_OFFICER, username="sergeant1")


@pytest.fixture
def caseworker(db):
    return make_user(Role.CASEWORKER, username="caseworker1")


@pytest.fixture
def analyst(db):
    return make_user(Role.ANALYST, username="analyst1")


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR, username="admin1")


@pytest.fixture
def disclosure(db):
    return make_user(Role.DISCLOSURE, username="disclosure1")


@pytest.fixture
def as_user(client):
    """Sign a user in on the test client: `as_user(officer).get(url)`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as they are queued, in the same process (the dashboard's snapshots are then
    computed by the request that finds them missing, as a worker would a moment later)."""
    settings.TASKS = IMMEDIATE_TASKS
