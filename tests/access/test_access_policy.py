"""Every URL of the project has a declared access policy, and every policy holds for every persona."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import harness
from tests.access.personas import ANONYMOUS, PERSONAS, STAFF, build_world
from tests.access.policies import POLICIES
from tests.users.auth import login

# The admin declares its own policy (staff only), checked model by model below.
ADMIN_NAMESPACE = "admin"


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, child_namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<sans nom> {pattern.pattern}"


def test_every_url_has_a_declared_policy():
    undeclared = sorted(
        name for name in set(url_names()) if not name.startswith(f"{ADMIN_NAMESPACE}:") and name not in POLICIES
    )
    assert undeclared == [], "URLs without an access policy in tests/access/policies.py"


def test_no_policy_for_a_url_that_no_longer_exists():
    assert sorted(set(POLICIES) - set(url_names())) == []


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize(
    "url_name,persona",
    [(name, persona) for name in POLICIES for persona in PERSONAS],
)
def test_access_policy(client, world, url_name, persona):
    assert harness.failures(client, world, url_name, persona) == []


def admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    return urls


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_is_for_staff_only(client, world, persona):
    user = world.user(persona)
    if user is not None:
        login(client, user)
    for url in admin_urls():
        response = client.get(url)
        if persona == STAFF:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            # The site-wide login (LoginRequiredMiddleware) or the admin's own login page.
            assert response["Location"].startswith((reverse("admin:login"), reverse("login"))), url
    if persona == ANONYMOUS:
        # One login page for everyone, throttled, followed by the staff's second factor (platform_rules.md §3).
        response = client.get(reverse("admin:login"))
        assert response.status_code == 302
        assert response["Location"] == reverse("login") + "?next=" + reverse("admin:index")


def test_staff_can_open_every_admin_change_form(client, world):
    login(client, world.user(STAFF))
    opened = 0
    for model in admin.site._registry:
        obj = model.objects.first()
        if obj is None:  # reference tables are empty in this world
            continue
        opts = model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        assert response.status_code == 200, opts.label
        opened += 1
    assert opened >= 10


def test_support_staff_cannot_raise_back_office_rights(client, world):
    support = world.user(STAFF)
    support.is_superuser = False
    support.save()
    login(client, support)
    support.user_permissions.add(Permission.objects.get(codename="change_user"))
    url = reverse("admin:users_user_change", args=[world.job_seeker.pk])
    form = client.get(url).context["adminform"].form
    for field in ["kind", "is_staff", "is_superuser", "groups", "user_permissions"]:
        assert field not in form.fields, field
