import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from greenbuild.core.credit_code import check_character, is_valid_credit_code, make_credit_code
from greenbuild.core.validators import validate_credit_code


@pytest.mark.parametrize(
    "code",
    ["91350100M000100Y43"]  # the example code used in explanations of GB 32100-2015
    + [make_credit_code("91320412{:09d}".format(n)) for n in (1, 42, 314159)],
)
def test_valid_credit_codes_pass(code):
    assert is_valid_credit_code(code)
    validate_credit_code(code)


def test_check_character_by_hand():
    # 9 1 3 5 0 1 0 0 M 0 0 0 1 0 0 Y 4 (M = 21, Y = 30 in the 31-symbol alphabet) with weights
    # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9 + 3 + 27 + 135 + 26 + 21*20 + 8 + 30*30 + 4*28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3 -> "3".
    assert check_character("91350100M000100Y4") == "3"


INVALID = "统一社会信用代码无效：请核对字符和校验码。"
LENGTH = "统一社会信用代码应为18位"


@pytest.mark.parametrize(
    "code,message",
    [
        ("91350100M000100Y44", INVALID),  # wrong check digit
        ("91350100M000100Y4", LENGTH),  # too short
        ("91350100M000100Y4IO", LENGTH),  # too long
        ("91350100I000100Y43", INVALID),  # I is not in the alphabet
        ("9135A100M000100Y43", INVALID),  # letters in the division code
        ("91350100m000100y43", INVALID),  # lower case
    ],
)
def test_invalid_credit_codes_are_refused_with_a_clear_message_in_chinese(code, message):
    assert not is_valid_credit_code(code)
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert message in " ".join(excinfo.value.messages)


def test_the_credit_code_messages_are_available_in_english():
    with translation.override("en"):
        with pytest.raises(ValidationError) as excinfo:
            validate_credit_code("91350100M000100Y44")
        assert "check digit" in excinfo.value.messages[0]
        with pytest.raises(ValidationError) as excinfo:
            validate_credit_code("913501")
        assert excinfo.value.messages[0] == "A unified social credit code has 18 characters; this one has 6."
