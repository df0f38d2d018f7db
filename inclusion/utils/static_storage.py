"""Static files in production: hashed names for long caching, compressed copies, contents left as shipped."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, without rewriting the url() of stylesheets nor the source map comments of scripts.

    django-dsfr's `{% dsfr_css %}` and `{% dsfr_js %}` carry the Subresource Integrity hash of the files as the DSFR
    ships them; a rewritten file no longer matches, and browsers refuse it: every production page went unstyled
    (seen with `make bench`'s server). The fonts and icons a stylesheet names are served under their plain names.
    """

    patterns = ()
