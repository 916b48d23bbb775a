"""Builders for the compose and review tests: an archive, a newsletter with every kind of block, staff."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from newsletter.models import NewsletterIndexPage, NewsletterPage

PASSWORD = "een-lang-wachtwoord-42"


def make_staff(username: str, role: str | None, **fields):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=True, email=f"{username}@veldhaven.example", **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def newsletter_index() -> NewsletterIndexPage:
    index = NewsletterIndexPage.objects.first()
    if index is None:
        home = Page.objects.get(depth=2, slug="home")
        index = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrieven", slug="nieuwsbrief"))
    return index


def make_image(title: str = "De Markt bij avond") -> Image:
    return Image.objects.create(title=title, file=get_test_image_file(filename="markt.png"))


def rich_body(image: Image | None = None) -> list:
    body = [
        ("greeting", {"salutation": "Beste", "fallback": "ondernemer"}),
        ("heading", {"text": "Koopzondag in december"}),
        (
            "paragraph",
            '<p>De <b>binnenstad</b> is open op zondag. Lees <a href="https://www.veldhaven.example/agenda">'
            'de agenda</a> of kijk op <a href="http://testserver/evenementen/">onze site</a>.</p>'
            "<ul><li>Markt</li><li>Kerstverlichting</li></ul>",
        ),
        ("button", {"text": "Meld je aan", "page": None, "url": "http://testserver/aanmelden/?bron=mail"}),
        ("divider", None),
        (
            "columns",
            {
                "left": [("heading", {"text": "Parkeren"}), ("paragraph", "<p>Gratis na 18 uur.</p>")],
                "right": [("paragraph", "<p>Schoon, heel en veilig.</p>")],
            },
        ),
    ]
    if image is not None:
        body.insert(2, ("image", {"image": image, "caption": "De Markt"}))
    return body


def make_newsletter(
    title: str = "Nieuwsbrief december",
    *,
    owner=None,
    kind: str = "service",
    body=None,
    slug: str | None = None,
    revision_user=None,
) -> NewsletterPage:
    index = newsletter_index()
    page = NewsletterPage(
        title=title,
        slug=slug or f"nieuwsbrief-{NewsletterPage.objects.count() + 1}",
        subject=title,
        preheader="Koopzondag, kerstmarkt en parkeren",
        kind=kind,
        owner=owner,
        body=rich_body() if body is None else body,
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision(user=revision_user or owner)
    return page


@pytest.fixture
def lotte(db):
    """Lotte Kok, communications: writes the newsletters."""
    return make_staff("lotte", "Communicatie", first_name="Lotte", last_name="Kok")


@pytest.fixture
def ruben(db):
    """Ruben Visser, her colleague in communications: reviews what Lotte wrote."""
    return make_staff("ruben", "Communicatie", first_name="Ruben", last_name="Visser")


@pytest.fixture
def marloes(db):
    """Marloes Bakker, the centre manager: signs off on communication."""
    return make_staff("marloes", "Centrummanager", first_name="Marloes", last_name="Bakker")


@pytest.fixture
def sanne(db):
    """Sanne de Vries, accountmanager: neither writes nor reviews newsletters."""
    return make_staff("sanne", "Accountmanager", first_name="Sanne", last_name="de Vries")
