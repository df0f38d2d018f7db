"""The one way a view refuses access.

Every access decision is a predicate of an app's `perms.py` (documented there, tested by the access harness in
tests/access/); a view passes its answer here with the French sentence the visitor reads. Two outcomes only:

- `require`: the page exists but is not for this visitor (403, the message is shown on the error page);
- `require_visible`: the visitor may not even learn that the object exists (404), e.g. another person's PASS IAE.

tests/access/test_perms_in_one_place.py checks that views raise no PermissionDenied of their own and that what
they pass here comes from a perms.py module.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


def require(allowed: bool, message: str) -> None:
    """403 with `message` unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def deny(message: str):
    """403 with `message`, for views that already asked perms.py and first tried to explain the refusal."""
    raise PermissionDenied(message)


def require_visible(allowed: bool, message: str) -> None:
    """404 with `message` unless `allowed`: the object is not disclosed to this visitor."""
    if not allowed:
        raise Http404(message)
