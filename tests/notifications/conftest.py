import pytest

from tests.notifications.notify_stub import NotifyStub


@pytest.fixture
def notify(settings):
    """A local Notify stand-in, with the settings pointing the real client at it."""
    with NotifyStub() as stub:
        settings.NOTIFY_API_KEY = stub.api_key
        settings.NOTIFY_BASE_URL = stub.base_url
        settings.NOTIFY_TEMPLATE_SMS = "f33517ff-2a88-4f6e-b855-c550268ce08a"
        settings.NOTIFY_TEMPLATE_EMAIL = "4f9d5a33-3a04-4b2b-9d52-6c2a3a0f1a0e"
        settings.NOTIFY_TIMEOUT_SECONDS = 1
        yield stub


@pytest.fixture
def no_notify_key(settings):
    settings.NOTIFY_API_KEY = ""
