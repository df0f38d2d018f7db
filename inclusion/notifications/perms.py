"""Who may open the notification settings page."""


def can_manage_notification_settings(user):
    """Every logged-in person manages their own e-mails; the page lists only those that concern them."""
    return user.is_authenticated
