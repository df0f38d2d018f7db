from django import forms


class NotificationSettingsForm(forms.Form):
    """One on/off switch per notification shown; those that may not be turned off are shown on and locked."""

    def __init__(self, *args, notifications, disabled, **kwargs):
        super().__init__(*args, **kwargs)
        self.notifications = notifications
        for cls in notifications:
            self.fields[cls.key] = forms.BooleanField(
                label=cls.label,
                help_text=cls.description,
                required=False,
                initial=cls.key not in disabled or not cls.can_be_disabled,
                # A disabled field keeps its initial value whatever is posted.
                disabled=not cls.can_be_disabled,
            )

    def groups(self, headings):
        """(heading, bound fields) in the order of `headings`, skipping empty groups."""
        groups = []
        for audience, heading in headings.items():
            fields = [self[cls.key] for cls in self.notifications if cls.audience == audience]
            if fields:
                groups.append((audience, heading, fields))
        return groups
