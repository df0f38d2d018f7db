from django.test import Client
from django.urls import reverse


def test_unknown_page_is_a_french_404(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_expired_form_is_a_french_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a@example.com", "password": "x"})
    assert response.status_code == 403
    assert "Session expirée" in response.content.decode()
