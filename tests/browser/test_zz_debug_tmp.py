import pytest
from django.db import connection
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
def test_debug():
    from hub.models import District
    print("HAS", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "") or ""), District.objects.count(), id(connection))
def test_debug2():
    from hub.models import District
    print("HAS2", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "") or ""), District.objects.count(), id(connection))
