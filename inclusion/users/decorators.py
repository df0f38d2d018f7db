"""View decorators shared by the signup pages of several apps."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect

from inclusion.organizations.middleware import organization_not_required


def anonymous_signup_page(view):
    """Public, reachable without organization; a logged-in person has an account already: dashboard."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("dashboard")
        return view(request, *args, **kwargs)

    return login_not_required(organization_not_required(wrapper))
