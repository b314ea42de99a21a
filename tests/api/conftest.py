import pytest
from rest_framework.test import APIClient

from api.tokens import token_create
from hub.roles import Role
from tests.factories import make_user


def bearer(user, **kwargs) -> APIClient:
    """An API client carrying a new token of `user`."""
    _token, raw = token_create(user=user, name="tests", **kwargs)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def officer():
    return make_user(Role.OFFICER)


@pytest.fixture
def analyst():
    return make_user(Role.ANALYST)
