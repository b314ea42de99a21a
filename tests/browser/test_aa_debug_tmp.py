import pytest, traceback, threading
from django.db import connection, connections
from django.db.utils import ConnectionHandler
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
orig = ConnectionHandler.create_connection
def create(self, alias):
    print("CREATE in", threading.current_thread().name)
    traceback.print_stack(limit=25)
    return orig(self, alias)
def test_a0():
    ConnectionHandler.create_connection = create
    print("A0", hasattr(connections["default"], "_test_serialized_contents"), id(connections["default"]))
def test_a1(open_session):
    print("A1", hasattr(connections["default"], "_test_serialized_contents"), id(connections["default"]))
