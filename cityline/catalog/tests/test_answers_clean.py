import pytest

from cityline.catalog.intake import STRING_MAX, TEXT_MAX, AnswerError, answers_clean
from cityline.catalog.models import AttributeDatatype
from cityline.catalog.selectors import service_type_get_with_questions
from cityline.catalog.tests.factories import (
    ServiceAttributeFactory,
    ServiceTypeFactory,
    list_question,
)

pytestmark = pytest.mark.django_db


def asking(datatype: str, *, code: str = "q", required: bool = False):
    service_type = ServiceTypeFactory()
    ServiceAttributeFactory(
        service_type=service_type, code=code, datatype=datatype, required=required
    )
    return service_type


@pytest.mark.parametrize(
    ("datatype", "given", "kept"),
    [
        (AttributeDatatype.STRING, " Oak tree ", "Oak tree"),
        (AttributeDatatype.STRING, "x" * STRING_MAX, "x" * STRING_MAX),
        (AttributeDatatype.TEXT, "y" * TEXT_MAX, "y" * TEXT_MAX),
        (AttributeDatatype.NUMBER, "42", "42"),
        (AttributeDatatype.NUMBER, "-3.5", "-3.5"),
        (AttributeDatatype.NUMBER, "1e3", "1e3"),
        (AttributeDatatype.DATETIME, "2026-04-01T09:30:00-05:00", "2026-04-01T09:30:00-05:00"),
        (AttributeDatatype.DATETIME, "2026-04-01T14:30:00Z", "2026-04-01T14:30:00+00:00"),
    ],
)
def test_a_valid_answer_is_kept(datatype, given, kept):
    # given
    service_type = asking(datatype)
    # when
    cleaned = answers_clean(service_type=service_type, submitted={"q": [given]})
    # then
    assert cleaned == {"q": kept}


@pytest.mark.parametrize(
    ("datatype", "given", "complaint"),
    [
        (AttributeDatatype.NUMBER, "forty", "is not a number"),
        (AttributeDatatype.NUMBER, "12 feet", "is not a number"),
        (AttributeDatatype.NUMBER, "NaN", "is not a finite number"),
        (AttributeDatatype.NUMBER, "inf", "is not a finite number"),
        (AttributeDatatype.NUMBER, "-Infinity", "is not a finite number"),
        (AttributeDatatype.DATETIME, "yesterday", "is not an ISO 8601 date and time"),
        (AttributeDatatype.DATETIME, "2026-13-01T00:00:00", "is not an ISO 8601 date and time"),
        (AttributeDatatype.STRING, "x" * (STRING_MAX + 1), "longer than 255"),
        (AttributeDatatype.TEXT, "y" * (TEXT_MAX + 1), "longer than 4000"),
    ],
)
def test_an_invalid_answer_is_refused_naming_the_question(datatype, given, complaint):
    # given
    service_type = asking(datatype, code="size")
    # when
    with pytest.raises(AnswerError) as refused:
        answers_clean(service_type=service_type, submitted={"size": [given]})
    # then
    assert refused.value.code == "size"
    assert complaint in refused.value.message
    assert str(refused.value).startswith("attribute[size]: ")


@pytest.mark.parametrize(
    "datatype", [AttributeDatatype.STRING, AttributeDatatype.NUMBER, AttributeDatatype.TEXT]
)
def test_a_single_value_question_refuses_two_values(datatype):
    # given
    service_type = asking(datatype)
    # when / then
    with pytest.raises(AnswerError, match="takes a single value"):
        answers_clean(service_type=service_type, submitted={"q": ["1", "2"]})


def test_a_bare_string_is_one_answer_not_a_list_of_letters():
    # given
    service_type = asking(AttributeDatatype.STRING)
    # when
    cleaned = answers_clean(service_type=service_type, submitted={"q": "Oak"})
    # then
    assert cleaned == {"q": "Oak"}


def test_a_single_value_list_takes_one_of_its_keys():
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"])
    # when
    cleaned = answers_clean(service_type=service_type, submitted={"depth": ["deep"]})
    # then
    assert cleaned == {"depth": "deep"}


@pytest.mark.parametrize(
    ("given", "complaint"),
    [(["bottomless"], "'bottomless' is not one of"), (["shallow", "deep"], "single value")],
)
def test_a_single_value_list_refuses_an_unknown_key_or_two_keys(given, complaint):
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"])
    # when
    with pytest.raises(AnswerError) as refused:
        answers_clean(service_type=service_type, submitted={"depth": given})
    # then
    assert refused.value.code == "depth"
    assert complaint in refused.value.message


def test_a_multi_value_list_keeps_each_key_once_in_the_order_given():
    # given
    service_type = ServiceTypeFactory()
    list_question(
        service_type=service_type, code="hazards", keys=["glass", "water", "wires"], multi=True
    )
    # when
    cleaned = answers_clean(
        service_type=service_type, submitted={"hazards": ["wires", "glass", "wires", " glass "]}
    )
    # then
    assert cleaned == {"hazards": ["wires", "glass"]}


def test_a_multi_value_list_refuses_an_unknown_key():
    # given
    service_type = ServiceTypeFactory()
    list_question(service_type=service_type, code="hazards", keys=["glass", "water"], multi=True)
    # when
    with pytest.raises(AnswerError) as refused:
        answers_clean(service_type=service_type, submitted={"hazards": ["glass", "fire"]})
    # then
    assert refused.value.code == "hazards"
    assert "'fire'" in refused.value.message


@pytest.mark.parametrize("given", [{}, {"where": []}, {"where": ["", "  "]}, {"where": [None]}])
def test_a_required_question_left_unanswered_is_refused_by_name(given):
    # given
    service_type = asking(AttributeDatatype.STRING, code="where", required=True)
    # when
    with pytest.raises(AnswerError) as refused:
        answers_clean(service_type=service_type, submitted=given)
    # then
    assert refused.value.code == "where"
    assert refused.value.message == "is required"


def test_an_optional_question_left_unanswered_is_left_out():
    # given
    service_type = asking(AttributeDatatype.STRING, code="colour")
    # when
    cleaned = answers_clean(service_type=service_type, submitted={"colour": ["  "]})
    # then
    assert cleaned == {}


def test_an_informational_notice_takes_no_answer_even_if_marked_required():
    # given
    service_type = ServiceTypeFactory()
    ServiceAttributeFactory(
        service_type=service_type,
        code="notice",
        description="Call 911 if anyone is hurt.",
        variable=False,
        required=True,
    )
    # when
    cleaned = answers_clean(service_type=service_type, submitted={"notice": ["ok"]})
    # then
    assert cleaned == {}


def test_answers_to_questions_the_type_does_not_ask_are_dropped():
    # given
    service_type = asking(AttributeDatatype.STRING, code="colour")
    # when
    cleaned = answers_clean(
        service_type=service_type, submitted={"colour": ["red"], "mood": ["cross"]}
    )
    # then
    assert cleaned == {"colour": "red"}


def test_questions_prefetched_by_the_catalog_are_checked_the_same_way(
    django_assert_num_queries,
):
    # given
    service_type = ServiceTypeFactory(code="pothole")
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"], required=True)
    ServiceAttributeFactory(service_type=service_type, code="notice", variable=False)
    prefetched = service_type_get_with_questions(code="pothole")
    # when
    with django_assert_num_queries(0):
        cleaned = answers_clean(service_type=prefetched, submitted={"depth": ["deep"]})
        with pytest.raises(AnswerError, match="is required"):
            answers_clean(service_type=prefetched, submitted={"notice": ["x"]})
    # then
    assert cleaned == {"depth": "deep"}
