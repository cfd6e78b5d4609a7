"""The service-type classifier: learned from the city's history, stored by the command only,
loaded once per process and again when the file changes."""

import os

import joblib
import pytest

from cityline.catalog.classifier import (
    NotEnoughHistory,
    classifier_evaluate,
    classifier_get,
    classifier_scores,
    classifier_train,
    text_normalise,
    training_set_read,
)
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.imports.tests.conftest import EXCERPT_2022, NYC_2022, run_import, whole_files
from cityline.servicerequests.tests.factories import historic_request, load_historic

pytestmark = pytest.mark.django_db

HISTORY = {
    "pothole": [
        "Deep pothole in the road on Main St",
        "Big hole in the street, my tire hit it",
        "Bache enorme en la calle",
        "Hoyo profundo en el pavimento",
        "حفرة كبيرة في الشارع",
        "Road surface broken, huge hole near the corner",
    ],
    "street-light-out": [
        "Street light out on the corner",
        "The lamp on the pole is dark all night",
        "La farola no prende en la noche",
        "El poste de luz está apagado",
        "عمود الإنارة مطفأ في الليل",
        "Light on the pole keeps flickering after dark",
    ],
    "noise-residential": [
        "Loud music from upstairs at night",
        "Party next door, bass shaking my windows",
        "Música muy alta de los vecinos",
        "Fiesta ruidosa en el apartamento",
        "موسيقى عالية من الجيران",
        "Neighbors shouting and playing music",
    ],
}


@pytest.fixture
def classifier_path(settings, tmp_path):
    settings.CITYLINE_CLASSIFIER_PATH = tmp_path / "model" / "classifier.joblib"
    return settings.CITYLINE_CLASSIFIER_PATH


def history(descriptions: dict[str, list[str]] = HISTORY) -> None:
    rows = []
    for code, texts in descriptions.items():
        service_type = ServiceTypeFactory.create(code=code)
        for n, text in enumerate(texts):
            row = historic_request(service_type=service_type, source_id=f"{code}-{n}")
            row.description = text
            rows.append(row)
    load_historic(rows)


def test_text_is_compared_without_case_accents_or_arabic_letter_variants():
    # when / then
    assert text_normalise("Calefacción") == "calefaccion"
    assert text_normalise("إنارة") == text_normalise("انارة")
    assert text_normalise("حفرة") == text_normalise("حفره")


def test_training_reads_each_types_latest_descriptions_up_to_the_cap():
    # given
    history()
    # when
    training = training_set_read(per_type=4)
    # then
    assert training.types == 3
    assert len(training.texts) == 12
    assert training.codes.count("pothole") == 4


def test_a_trained_model_is_stored_and_guesses_new_words_in_each_language(classifier_path):
    # given
    history()
    # when
    report = classifier_train()
    # then
    assert report.path == classifier_path and classifier_path.exists()
    assert report.rows == 18 and report.types == 3
    for text, expected in (
        ("huge hole in the road", "pothole"),
        ("bache en la calle", "pothole"),
        ("عمود الانارة لا يعمل", "street-light-out"),
        ("musica alta", "noise-residential"),
        ("the lamp post is dark", "street-light-out"),
    ):
        scores = classifier_scores(text=text)
        assert max(scores, key=scores.__getitem__) == expected, text


def test_a_typo_still_finds_the_type(classifier_path):
    # given
    history()
    classifier_train()
    # when
    scores = classifier_scores(text="potthole in the raod")
    # then
    assert max(scores, key=scores.__getitem__) == "pothole"


def test_without_a_trained_model_the_classifier_says_nothing(classifier_path):
    # when / then
    assert classifier_get() is None
    assert classifier_scores(text="pothole") == {}


def test_the_model_is_loaded_once_and_again_when_the_file_changes(classifier_path):
    # given
    history()
    classifier_train()
    first = classifier_get()
    # when
    again = classifier_get()
    # then
    assert again is first
    # when: a new model replaces the file
    rows = []
    for n, text in enumerate(["Graffiti on the wall", "Tags sprayed on the door", "Grafiti"]):
        row = historic_request(
            service_type=ServiceTypeFactory.create(code="graffiti"), source_id=f"g{n}"
        )
        row.description = text
        rows.append(row)
    load_historic(rows)
    classifier_train()
    stat = classifier_path.stat()
    os.utime(classifier_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    # then
    reloaded = classifier_get()
    assert reloaded is not first
    assert reloaded is not None and "graffiti" in reloaded.codes


def test_a_history_of_one_type_is_not_enough(classifier_path):
    # given
    history({"pothole": HISTORY["pothole"]})
    # when / then
    with pytest.raises(NotEnoughHistory):
        classifier_train()
    assert not classifier_path.exists()


def test_evaluation_scores_held_out_requests_and_writes_nothing(classifier_path):
    # given
    history()
    # when
    evaluation = classifier_evaluate(held_out=0.5)
    # then
    assert evaluation.rows == 9 and evaluation.types == 3
    assert 0 <= evaluation.top_1 <= evaluation.top_3 <= 1
    assert not classifier_path.exists()


@pytest.mark.parametrize(
    "path", [EXCERPT_2022, pytest.param(NYC_2022, marks=whole_files(NYC_2022))]
)
def test_it_learns_from_imported_nyc_requests(classifier_path, path):
    # given: NYC's requests, their descriptor as description
    run_import("nyc311", path)
    # when
    report = classifier_train()
    # then
    assert report.types >= 5
    for text, expected in (
        ("a car blocking the hydrant", "illegal-parking"),
        ("banging and pounding upstairs", "noise-residential"),
    ):
        scores = classifier_scores(text=text)
        assert max(scores, key=scores.__getitem__) == expected, text


def test_a_file_of_another_format_is_not_used(classifier_path):
    # given
    classifier_path.parent.mkdir(parents=True)
    joblib.dump({"format": 0, "classifier": "old"}, classifier_path)
    # when / then
    assert classifier_get() is None
    assert classifier_scores(text="pothole") == {}
