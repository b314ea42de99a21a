import pytest


@pytest.fixture
def two_factor_required(settings):
    """Turn two-factor enforcement back on (tests/conftest.py turns it off for other tests)."""
    settings.OTP_REQUIRED = True
    return settings
