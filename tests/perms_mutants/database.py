"""Creates the migrated SQLite test database that each mutant run starts from a copy of (`--perms-mutant-db`).

    .venv/bin/python -m tests.perms_mutants.database PATH

The migrations take most of the time of a short pytest run; the mutation run starts one run per predicate.
"""

import os
import sys


def create(path):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.pop("DATABASE_URL", None)  # SQLite, like the runs that will use it
    import django

    django.setup()
    from django.db import connections
    from django.test.utils import setup_databases

    connections["default"].settings_dict["TEST"]["NAME"] = str(path)
    setup_databases(verbosity=0, interactive=False, keepdb=False)
    connections.close_all()


if __name__ == "__main__":
    create(sys.argv[1])
