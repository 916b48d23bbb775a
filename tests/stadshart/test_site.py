"""What a visitor and a staff member see first: the portal home, the admin login, in Dutch."""

import pytest


@pytest.mark.django_db
def test_the_portal_home_shows_the_demo_centre(client, demo_centre):
    response = client.get("/")
    assert response.status_code == 200
    assert "<title>Binnenstad Veldhaven · Centrummanagement Veldhaven</title>" in response.text
    assert "Wat we doen" in response.text
    assert 'lang="nl"' in response.text


@pytest.mark.django_db
def test_the_portal_speaks_dutch_first_and_english_on_request(client, demo_centre):
    assert "Naar de inhoud" in client.get("/").text
    english = client.get("/en/")
    assert english.status_code == 200
    assert "Skip to content" in english.text and 'lang="en"' in english.text


@pytest.mark.django_db
def test_the_admin_login_is_branded_and_dutch(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "Inloggen bij Stadshart" in response.text
    assert "Wachtwoord" in response.text


@pytest.mark.django_db
def test_the_health_endpoint_answers_when_the_database_does(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
