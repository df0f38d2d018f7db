import pytest
from django.db import transaction

from inclusion.utils.emails import absolute_url, send_templated_email


@pytest.fixture(autouse=True)
def _email_templates(settings, tmp_path):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "hello_subject.txt").write_text("Bonjour\n {{ name }} ")
    (tmp_path / "tests" / "hello_body.txt").write_text("Votre lien : {{ url }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def test_email_is_sent_once_the_transaction_commits(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(["B@exemple.fr", "a@exemple.fr", "", "a@exemple.fr"], "tests/hello", {"name": "Awa"})
        assert mailoutbox == []
    [email] = mailoutbox
    assert email.subject == "Bonjour Awa"  # one line, whatever the template's line breaks
    assert email.to == ["B@exemple.fr", "a@exemple.fr"]


def test_no_email_when_the_transaction_rolls_back(transactional_db, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_templated_email(["a@exemple.fr"], "tests/hello", {"name": "Awa"})
        raise RuntimeError
    assert mailoutbox == []


def test_no_recipient_no_email(db, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated_email(["", None], "tests/hello", {})
    assert mailoutbox == []


def test_absolute_url_uses_the_configured_site_address(settings):
    settings.SITE_URL = "https://emplois.exemple.gouv.fr"
    assert absolute_url("/invitation/x/") == "https://emplois.exemple.gouv.fr/invitation/x/"
