from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from inclusion.organizations.current import SESSION_KEY
from inclusion.organizations.perms import can_switch_organization


@require_POST
def switch_organization(request):
    key = request.POST.get("organization", "")
    organization = next((o for o in request.organizations if o.switch_key == key), None)
    # organizations.md §11.2: switching to a non-member or inactive organization is a 404.
    if organization is None or not can_switch_organization(request.user, organization):
        raise Http404("Organisation introuvable.")
    request.session[SESSION_KEY] = organization.switch_key
    messages.info(request, f"Vous agissez maintenant pour « {organization.display_name} ».")
    next_url = request.POST.get("next", "")
    # Only a path of this site: never another host, never a URL name (redirect() would try to reverse it).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("dashboard")
    return HttpResponseRedirect(next_url)
