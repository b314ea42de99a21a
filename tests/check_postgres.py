"""Say clearly whether the PostgreSQL half of the suite will run, and fail when CI needs it.

TEST_DATABASE_URL points at a PostgreSQL server (the database itself need not exist: the
test run creates test_<name>). REQUIRE_POSTGRES=1 turns "not set" or "not reachable" into a
failure instead of a skip.
"""

import os
import sys
from urllib.parse import urlparse


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", "")
    required = os.environ.get("REQUIRE_POSTGRES") == "1"
    if not url:
        if required:
            print("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set.", file=sys.stderr)
            return 1
        print("== PostgreSQL: TEST_DATABASE_URL not set, suite runs on SQLite only")
        return 0
    import psycopg

    parsed = urlparse(url)
    try:
        psycopg.connect(
            host=parsed.hostname or "localhost",
            port=parsed.port or 5432,
            user=parsed.username or "postgres",
            password=parsed.password or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        print(
            f"PostgreSQL at {parsed.hostname}:{parsed.port or 5432} is not reachable: {error}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
