from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from inclusion.notifications import rules
from inclusion.notifications.forms import NotificationSettingsForm


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    # Every logged-in person manages their own e-mails (LoginRequiredMiddleware); the page lists only theirs.
    notifications = rules.notifications_concerning(request.user, request.organizations)
    # Not `request.POST or None`: with every switch off, nothing but the CSRF token is posted.
    data = request.POST if request.method == "POST" else None
    form = NotificationSettingsForm(data, notifications=notifications, disabled=rules.disabled_keys(request.user))
    if request.method == "POST" and form.is_valid():
        rules.notification_preferences_save(user=request.user, notifications=notifications, enabled=form.cleaned_data)
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notification_settings")
    context = {
        "title": "Mes notifications",
        "form": form,
        "groups": form.groups(rules.AUDIENCE_HEADINGS),
    }
    return render(request, "notifications/settings.html", context)
