"""The demo city's content files: consistent with each other, small, and reproducible."""

import itertools
import random

import pytest

from cityline.catalog.models import ServiceType
from cityline.demo import content, geography
from cityline.demo.history import TypeSetup, description_fills


def test_every_service_type_has_a_history_and_every_reference_resolves():
    # when
    catalog, history = content.catalog(), content.history()
    # then
    assert {t.code for t in catalog.service_types} == set(history.types)
    assert all(t.keywords and t.description for t in catalog.service_types)


def _setup(code: str) -> TypeSetup:
    service_type = next(t for t in content.catalog().service_types if t.code == code)
    return TypeSetup(
        service_type=ServiceType(code=code),
        profile=content.history().types[code],
        due=None,
        questions={
            q.code: ([v.key for v in q.values], [v.name for v in q.values], False)
            for q in service_type.questions
            if q.values
        },
    )


@pytest.mark.parametrize("code", [t.code for t in content.catalog().service_types])
def test_every_phrase_fills_in_for_every_answer(code):
    # given
    setup = _setup(code)
    rng = random.Random(code)
    keys = {q: spec[0] for q, spec in setup.questions.items()}
    # when
    for answers in (
        dict(zip(keys, combo, strict=True)) for combo in itertools.product(*keys.values())
    ):
        for template in (
            *setup.profile.descriptions,
            *(t for templates in setup.profile.descriptions_in.values() for t in templates),
        ):
            fills = description_fills(rng, setup, answers, street="Main St", place="12 Main St")
            text = template.text.format_map(fills)
            # then
            assert "{" not in text and "  " not in text, text


def test_the_committed_map_is_the_one_its_generator_draws(tmp_path):
    # when
    geography.draw(tmp_path)
    # then
    for name in [layer.path.name for layer in content.city().layers] + ["addresses.csv"]:
        assert (tmp_path / name).read_text() == (content.DATA / name).read_text(), name


def test_the_data_files_stay_small():
    assert sum(f.stat().st_size for f in content.DATA.iterdir()) < 1_000_000


def test_the_map_has_a_few_thousand_addresses():
    assert 2_000 < sum(1 for _ in content.addresses()) < 10_000


@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_public_types_questions_are_written_in_spanish_and_arabic(language):
    # given
    [translation] = [t for t in content.catalog_translations() if t.language == language]
    public = [t for t in content.catalog().service_types if t.is_public]
    # when
    missing = []
    for service_type in public:
        texts = translation.service_types[service_type.code].questions
        for question in service_type.questions:
            text = texts.get(question.code)
            if text is None or not text.description:
                missing.append(f"{service_type.code}/{question.code}")
                continue
            if question.datatype_description and not text.datatype_description:
                missing.append(f"{service_type.code}/{question.code}: hint")
            named = {key for key, name in text.values.items() if name}
            missing += [
                f"{service_type.code}/{question.code}={value.key}"
                for value in question.values
                if value.key not in named
            ]
    # then
    assert missing == []
