"""The `next` URL of a request, when following it is safe."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request):
    """The `next` of the form or query string if it is a path of this site, else None.

    Only a path is followed: never another host (open redirect), and never a bare word, which `redirect()` would try
    to reverse as a URL name (`?next=0` was a 500).
    """
    url = request.POST.get("next") or request.GET.get("next") or ""
    is_path = url.startswith("/") and not url.startswith("//") and "\\" not in url
    if is_path and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None
