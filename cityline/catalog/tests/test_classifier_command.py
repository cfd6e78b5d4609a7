"""`cityline classifier train` and `cityline classifier evaluate`."""

import io

import pytest
from django.core.management import CommandError, call_command

from cityline.catalog.classifier import classifier_get
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.tests.factories import historic_request, load_historic

pytestmark = pytest.mark.django_db


@pytest.fixture
def classifier_path(settings, tmp_path):
    settings.CITYLINE_CLASSIFIER_PATH = tmp_path / "classifier.joblib"
    return settings.CITYLINE_CLASSIFIER_PATH


@pytest.fixture
def history():
    rows = []
    for code, texts in {
        "pothole": ["hole in the road", "deep pothole", "crater in the street", "road broken"],
        "graffiti": ["graffiti on the wall", "tags on the door", "spray paint", "grafiti"],
    }.items():
        service_type = ServiceTypeFactory.create(code=code)
        for n, text in enumerate(texts):
            row = historic_request(service_type=service_type, source_id=f"{code}-{n}")
            row.description = text
            rows.append(row)
    load_historic(rows)


def _run(*args):
    out = io.StringIO()
    call_command("classifier", *args, stdout=out)
    return out.getvalue()


def test_train_writes_the_model_and_says_what_it_learned_from(history, classifier_path):
    # when
    printed = _run("train")
    # then
    assert "Learned from 8 descriptions of 2 service types" in printed
    assert str(classifier_path) in printed
    classifier = classifier_get()
    assert classifier is not None and sorted(classifier.codes) == ["graffiti", "pothole"]


def test_train_caps_the_requests_read_per_type(history, classifier_path):
    # when
    printed = _run("train", "--per-type", "3")
    # then
    assert "Learned from 6 descriptions" in printed


def test_evaluate_prints_the_held_out_accuracy_and_writes_nothing(history, classifier_path):
    # when
    printed = _run("evaluate")
    # then
    assert "held-out descriptions of 2 service types: top-1" in printed
    assert not classifier_path.exists()


def test_an_empty_history_is_a_clear_error(classifier_path):
    # when / then
    with pytest.raises(CommandError, match="at least 2 are needed"):
        _run("train")
    assert not classifier_path.exists()


def test_a_cap_below_one_is_refused(history, classifier_path):
    # when / then
    with pytest.raises(CommandError, match="--per-type must be 1 or more"):
        _run("train", "--per-type", "0")
