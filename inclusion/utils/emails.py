"""E-mails: rendered from templates in the request, sent by the task queue once the transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from huey.contrib.djhuey import task


def absolute_url(path):
    """A link that works from an e-mail, even when built outside a request (commands, tasks)."""
    return f"{settings.SITE_URL}{path}"


@task(retries=3, retry_delay=60)
def send_email_task(subject, body, recipients):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def send_templated_email(recipients, template_prefix, context):
    """Renders `<template_prefix>_subject.txt` and `_body.txt` now, queues the sending after commit.

    Rendering happens in the caller so that a template error surfaces there, not silently in a worker.
    Nothing is sent when the transaction rolls back.
    """
    recipients = sorted({email for email in recipients if email})
    if not recipients:
        return
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    body = render_to_string(f"{template_prefix}_body.txt", context)
    transaction.on_commit(lambda: send_email_task(subject, body, recipients))
