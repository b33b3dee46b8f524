"""The chrome of a phone on site (issue 19 items 2 and 8): favicon, styled 400 and 405 pages,
a confirmation before every irreversible action, the camera photo input, tables that scroll in
their own box. The 390 px measurement itself is tests/browser/test_phone.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.urls import reverse

TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("**/templates/**/*.html"))


# --- UI-12: the favicon ------------------------------------------------------------------------


def test_the_favicon_is_shipped_and_linked_and_favicon_ico_leads_to_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("/static/greenbuild/favicon.ico")
    ico = Path(finders.find("greenbuild/favicon.ico")).read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert b"<svg" in Path(finders.find("greenbuild/favicon.svg")).read_bytes()
    base = (Path(__file__).resolve().parents[2] / "templates" / "base.html").read_text()
    assert 'rel="icon"' in base and "favicon.svg" in base and "favicon.ico" in base


# --- UI-13: 405 and 400 are the platform's pages -------------------------------------------------


@pytest.mark.django_db
def test_a_get_to_a_form_only_address_gets_the_styled_405_in_the_address_language(client, bureau):
    client.force_login(bureau)
    path = reverse("api-tokens:revoke", args=[1])
    response = client.get(path)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert 'id="error-405"' in page and "navbar" in page
    assert "此地址只接受" in page
    assert 'href="{}"'.format(path.rsplit("/", 2)[0].rsplit("/", 1)[0] + "/") in page  # the page one level up
    response = client.get("/en" + path, HTTP_REFERER="http://testserver/en/accounts/tokens/")
    page = response.content.decode()
    assert response.status_code == 405 and 'lang="en"' in page and "Not available at this address" in page
    assert 'href="http://testserver/en/accounts/tokens/"' in page  # back where the user came from


@pytest.mark.django_db
def test_the_api_keeps_its_json_405(client, bureau):
    client.force_login(bureau)
    response = client.delete("/api/v1/projects/")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_a_bad_request_is_the_styled_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False
    response = client.get("/en/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-400"' in page and "Bad request" in page
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert "请求无法识别" in response.content.decode()


@pytest.mark.django_db
def test_a_json_405_outside_the_api_stays_json(client):
    # /data.json is a DRF view at the site root: its 405 already has a JSON body, which machine
    # clients read; only Django's bare, empty 405 becomes the styled page.
    response = client.post("/data.json")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert b"error-405" not in response.content


@pytest.mark.django_db
def test_a_post_to_a_get_only_address_is_not_told_it_takes_only_a_form(client):
    response = client.post("/healthz")
    assert response.status_code == 405 and "POST" not in response["Allow"]
    page = response.content.decode()
    assert 'id="error-405"' in page and "此地址只接受" not in page and "此地址只能打开" in page


# --- UI-24: a confirmation before each irreversible action -------------------------------------

IRREVERSIBLE = re.compile(
    r"""action="\{% url '[\w:-]*(delete|revoke|remove|rotate-secret|unlock|unlock-address|withdrawal-request|withdrawal-decide)'"""
)


def test_every_form_of_an_irreversible_action_asks_first():
    missing, found = [], 0
    for template in TEMPLATES:
        if "/admin/" in str(template):
            continue
        for match in re.finditer(r"<form\b[^>]*>", template.read_text()):
            tag = match.group(0)
            if IRREVERSIBLE.search(tag):
                found += 1
                if "data-confirm=" not in tag:
                    missing.append("{}: {}".format(template.name, tag[:120]))
    assert found >= 9
    assert not missing, missing


def test_the_confirmation_dialog_is_on_every_page_and_site_js_handles_it():
    base = (Path(__file__).resolve().parents[2] / "templates" / "base.html").read_text()
    assert 'id="gb-confirm"' in base and 'method="dialog"' in base and 'value="yes"' in base
    script = Path(finders.find("greenbuild/site.js")).read_text()
    assert "data-confirm" in script and "showModal" in script


@pytest.mark.django_db
def test_the_token_page_asks_before_revoking_in_the_users_language(client, bureau):
    from greenbuild.api.services import create_token

    create_token(actor=bureau, user=bureau, name="站点同步")
    client.force_login(bureau)
    page = client.get(reverse("api-tokens:list")).content.decode()
    assert re.search(r'data-confirm="吊销令牌 站点同步？[^"]*"', page)
    assert 'id="gb-confirm"' in page and "确定继续" in page
    page = client.get("/en" + reverse("api-tokens:list")).content.decode()
    assert 'data-confirm="Revoke the token 站点同步? Programs using it stop working at once' in page


# --- item 2: the camera photo input --------------------------------------------------------------


def test_the_photo_input_opens_the_rear_camera_with_the_photo_limits():
    from greenbuild.attachments.forms import PhotoInput, photo_field

    class SitePhoto(forms.Form):
        photo = photo_field()
        more = photo_field(required=False, multiple=True, files=5, capture=None)

    html = str(SitePhoto()["photo"])
    assert 'accept="image/*"' in html and 'capture="environment"' in html and "data-max-bytes" in html
    more = str(SitePhoto()["more"])
    assert "capture" not in more and " multiple" in more
    assert 'capture="user"' in PhotoInput(capture="user").render("selfie", None)


# --- item 2 / UI-03: wide tables scroll in their own box -----------------------------------------


def test_every_table_of_a_page_sits_in_a_scrolling_box():
    missing = []
    for template in TEMPLATES:
        path = str(template)
        if "/admin/" in path or "/pdf/" in path or "/email/" in path:
            continue
        text = template.read_text()
        for match in re.finditer(r"<table\b", text):
            before = text[max(0, match.start() - 200) : match.start()]
            if "table-responsive" not in before:
                missing.append(
                    "{}:{}".format(template.relative_to(template.parents[3]), text[: match.start()].count("\n") + 1)
                )
    assert not missing, missing
