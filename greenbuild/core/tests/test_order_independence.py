"""Issue 10 item 19: a test's language never leaks into the next one.

Runs two tests in a child pytest, in the order that used to fail (English first), with the
project's own conftest: LocaleMiddleware leaves the language of an ``/en/`` request active on
the thread, and the credit-code check then answered in English where Chinese was expected.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

LEAKY_THEN_CHINESE = """
from django.utils import translation

from greenbuild.core.validators import validate_credit_code


def test_1_an_english_request_leaves_english_active():
    translation.activate("en")  # what LocaleMiddleware does for /en/ and never undoes


def test_2_the_credit_code_message_is_chinese():
    try:
        validate_credit_code("913501")
    except Exception as error:
        assert "18" in error.messages[0] and "统一社会信用代码" in error.messages[0], error.messages
    else:
        raise AssertionError("a 6-character code was accepted")
"""


def test_a_language_activated_by_one_test_does_not_reach_the_next(pytester):
    pytester.makeconftest((ROOT / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_leak=LEAKY_THEN_CHINESE)
    result = pytester.runpytest_subprocess(
        "-p",
        "no:randomly",
        "-p",
        "no:xdist",
        "-p",
        "no:cacheprovider",
        "-p",
        "greenbuild.testing.pytest_secret_key",
        "--ds",
        "greenbuild.settings",
        "-q",
    )
    result.assert_outcomes(passed=2)
