"""Hypothesis profile of the robustness tests (property-based tests of the NIR, the date rules and the forms).

- `database=None`: no example database is written; hypothesis' own caches (unicode tables, constants) go to the
  temporary directory, so that nothing lands in a `.hypothesis/` directory of the working copy nor of CI;
- `derandomize=True`: the examples derive from each test's name, so that a CI failure replays identically;
- `deadline=None`: a page rendered through the test client may take longer than hypothesis' 200 ms default;
- a moderate `max_examples`: the whole directory runs in about a minute on SQLite with 2 cores. Tests that render
  pages ask for fewer examples with their own `@settings(max_examples=...)`.
- `function_scoped_fixture` is not a mistake here: each test function builds one world (users, companies...) that
  all its examples reuse, which is what keeps these tests quick. Examples that write roll their writes back
  (`tests.robustness.pages.rolled_back`).

`HYPOTHESIS_PROFILE=robust-deep` runs ten times more examples, for a look before a release.
"""

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "inclusion-hypothesis")

_COMMON = {
    "database": None,
    "deadline": None,
    "derandomize": True,
    "print_blob": False,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("robust", max_examples=60, **_COMMON)
settings.register_profile("robust-deep", max_examples=600, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "robust"))
