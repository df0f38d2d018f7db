"""Production static files (inclusion/utils/static_storage.py): the DSFR files keep the contents their Subresource
Integrity hashes describe, or browsers refuse them and every page goes unstyled."""

import base64
import hashlib

import pytest
from django.contrib.staticfiles import finders
from dsfr import checksums
from dsfr.constants import DsfrStaticAssets

from inclusion.utils.static_storage import StaticFilesStorage

# The files `{% dsfr_css %}` and `{% dsfr_js %}` link with an integrity attribute.
SIGNED_FILES = [
    (DsfrStaticAssets.DSFR_CSS, checksums.INTEGRITY_CSS),
    (DsfrStaticAssets.DSFR_UTILITY_CSS, checksums.INTEGRITY_UTILITY_CSS),
    (DsfrStaticAssets.DSFR_MODULE_JS, checksums.INTEGRITY_JS_MODULE),
    (DsfrStaticAssets.DSFR_NOMODULE_JS, checksums.INTEGRITY_JS_NOMODULE),
]


def collected(storage, path):
    """What `collectstatic` leaves for `path` with `storage`: the copy, then the post-processing (hashed name)."""
    source = next(
        finder_storage
        for finder in finders.get_finders()
        for found, finder_storage in finder.list([])
        if found == path
    )
    with source.open(path) as file:
        storage.save(path, file)
    for _original, _processed, error in storage.post_process({path: (source, path)}):
        if isinstance(error, Exception):
            raise error
    with storage.open(storage.stored_name(path)) as file:
        return file.read()


def sri(content):
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


@pytest.mark.parametrize(("path", "integrity"), SIGNED_FILES)
def test_collected_dsfr_files_match_their_integrity_hash(tmp_path, path, integrity):
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    content = collected(storage, path)
    assert storage.stored_name(path) != path  # hashed for long caching
    assert sri(content) == integrity
