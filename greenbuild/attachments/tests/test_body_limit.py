"""Oversized request bodies are refused by their Content-Length, before a byte is read (issue 10 item 6)."""

import io
from wsgiref.validate import validator

import pytest
from django.core.handlers.wsgi import WSGIHandler

from greenbuild.attachments.limits import FORM_OVERHEAD_BYTES, accepts_uploads, body_limit
from greenbuild.attachments.policy import MB
from greenbuild.scoring import views as scoring_views


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def post(path, length, language_cookie=None):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "wsgi.input": Unreadable(),
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(length),
        "HTTP_REFERER": "http://testserver{}".format(path),
    }
    status = {}

    def start_response(code, headers, exc_info=None):
        status["code"] = code
        return lambda data: None

    result = validator(WSGIHandler())(environ, start_response)  # also checks the response is valid WSGI
    try:
        body = b"".join(result)
    finally:
        result.close()
    return status["code"], body.decode()


@pytest.mark.django_db
def test_a_200_mb_post_is_refused_before_its_body_is_read_with_a_styled_page_in_the_users_language(pilot):
    scorecard = "/projects/{}/scores/scorecards/evaluation/".format(pilot.pk)
    code, page = post(scorecard, 200 * MB)
    assert code.startswith("413")
    assert "上传内容过大" in page and "200.0\xa0MB" in page and "101.0\xa0MB" in page and "返回表单" in page
    assert "navbar" in page  # the platform's page, not a bare error
    code, page = post("/en" + scorecard, 200 * MB)
    assert code.startswith("413") and "Upload too large" in page and "上传" not in page


@pytest.mark.django_db
def test_a_page_without_uploads_refuses_more_than_the_general_limit():
    code, _page = post("/accounts/login/", 11 * MB)
    assert code.startswith("413")


def test_limits_follow_the_kind_policies_of_the_view(settings):
    assert body_limit(scoring_views.scorecard_edit) == 5 * 20 * MB + FORM_OVERHEAD_BYTES

    @accepts_uploads("model")
    def upload_model(request):
        raise AssertionError

    assert body_limit(upload_model) == 500 * MB + FORM_OVERHEAD_BYTES
    settings.ATTACHMENT_POLICIES = {"model": {"max_bytes": 800 * MB}}
    assert body_limit(upload_model) == 800 * MB + FORM_OVERHEAD_BYTES
    assert body_limit(scoring_views.records) == settings.REQUEST_BODY_MAX_BYTES == 10 * MB
