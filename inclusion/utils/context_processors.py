from django.conf import settings

from inclusion.organizations.current import menu_sorted


def platform(request):
    return {
        "current_organization": getattr(request, "current_organization", None),
        "organizations_menu": menu_sorted(getattr(request, "organizations", [])),
        "role": getattr(request, "role", None),
        "SITE_NAME": settings.SITE_NAME,
    }
