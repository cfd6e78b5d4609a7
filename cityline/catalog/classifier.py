"""The service-type classifier: what the city's own request history teaches about the words
residents use for each service type.

It reads a request's description as character n-grams (so a typo or a missing accent costs a few
n-grams, not the word) and words, weighs them by TF-IDF, and a logistic regression gives each
service type a probability. It learns from each type's latest requests
(`CITYLINE_CLASSIFIER_ROWS_PER_TYPE` of them), whatever language they are written in, so training
stays bounded in time and memory at any size of history.

`cityline classifier train` writes the model to `CITYLINE_CLASSIFIER_PATH` with joblib, and every
process loads it on first use and again whenever the file changes. joblib files are pickles and
can run code when loaded: the file is only ever written by that command, beside the database and
the secret key, and must never be replaced by one from anywhere else (docs/suggestions.md).
Without a file, `classifier_scores` says nothing and suggestions come from the catalog's words
and the knowledge base alone.
"""

import os
import random
import tempfile
import threading
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import joblib
from django.conf import settings

from cityline.catalog.models import ServiceType
from cityline.servicerequests.selectors import service_request_descriptions_latest

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# Bumped whenever what a model file holds changes; a file of another format is not loaded.
FORMAT = 1
# A type needs this many described requests to be learned at all.
MIN_ROWS_PER_TYPE = 3
# Only so much of a description is read: the complaint is in its first sentences.
_MAX_CHARS = 500
# Arabic letters residents write interchangeably: every alef as a bare alef, a final ta marbuta as
# ha, an alef maqsura as ya.
_ARABIC_FOLDS = str.maketrans(
    {
        "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}": "\N{ARABIC LETTER ALEF}",
        "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}",
        "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
        "\N{ARABIC TATWEEL}": None,
    }
)


def text_normalise(text: str) -> str:
    """Text as the classifier and the catalog's words are compared: lower case, without accents
    or Arabic vowel marks, Arabic letter variants folded, and at most `_MAX_CHARS` long."""
    decomposed = unicodedata.normalize("NFKD", text[:_MAX_CHARS].lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_ARABIC_FOLDS)


class NotEnoughHistory(Exception):
    """The history has described requests of fewer than two types: nothing to tell apart."""


@dataclass(frozen=True)
class TrainingSet:
    texts: list[str]
    codes: list[str]

    @property
    def types(self) -> int:
        return len(set(self.codes))


def training_set_read(*, per_type: int | None = None) -> TrainingSet:
    """The descriptions of the latest described requests of every active type, at most
    `per_type` each (`CITYLINE_CLASSIFIER_ROWS_PER_TYPE` by default); types with too few are left
    out. Repeated descriptions stay: how often residents use the same words for one type rather
    than another is what the model learns from (NYC's descriptors repeat by design)."""
    per_type = per_type or settings.CITYLINE_CLASSIFIER_ROWS_PER_TYPE
    codes = dict(ServiceType.objects.filter(is_active=True).values_list("id", "code"))
    by_type: dict[int, list[str]] = defaultdict(list)
    for type_id, description in service_request_descriptions_latest(
        service_type_ids=sorted(codes), per_type=per_type
    ):
        by_type[type_id].append(description)
    texts, labels = [], []
    for type_id, descriptions in by_type.items():
        if len(descriptions) >= MIN_ROWS_PER_TYPE:
            texts += descriptions
            labels += [codes[type_id]] * len(descriptions)
    return TrainingSet(texts=texts, codes=labels)


def _pipeline() -> "Pipeline":
    # Imported here: scikit-learn takes most of a second to import, which every command and web
    # process would pay at start-up; loading a trained model imports it when it is first needed.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb",
                                ngram_range=(2, 4),
                                preprocessor=text_normalise,
                                sublinear_tf=True,
                                min_df=1,
                                max_features=30_000,
                            ),
                        ),
                        (
                            "words",
                            TfidfVectorizer(
                                preprocessor=text_normalise,
                                ngram_range=(1, 2),
                                sublinear_tf=True,
                                min_df=1,
                                max_features=10_000,
                            ),
                        ),
                    ]
                ),
            ),
            # Logistic regression fitted by a few passes of stochastic gradient descent: as good
            # as an exact fit on descriptions this repetitive, in a fraction of the time.
            (
                "model",
                SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=8, tol=None, random_state=311),
            ),
        ]
    )


@dataclass(frozen=True)
class ServiceTypeClassifier:
    pipeline: "Pipeline"
    trained_at: float
    rows: int

    @property
    def codes(self) -> list[str]:
        return [str(code) for code in self.pipeline.classes_]

    def scores(self, text: str) -> dict[str, float]:
        """Each type's probability for this text."""
        probabilities = self.pipeline.predict_proba([text])[0]
        return dict(zip(self.codes, (float(p) for p in probabilities), strict=True))


def classifier_fit(training: TrainingSet) -> ServiceTypeClassifier:
    """A classifier learned from these texts; at least two types are needed."""
    if training.types < 2:
        raise NotEnoughHistory(
            f"the history has described requests ({MIN_ROWS_PER_TYPE} or more) of "
            f"{training.types} service types; at least 2 are needed"
        )
    pipeline = _pipeline()
    pipeline.fit(training.texts, training.codes)
    return ServiceTypeClassifier(
        pipeline=pipeline, trained_at=time.time(), rows=len(training.texts)
    )


@dataclass(frozen=True)
class TrainingReport:
    path: Path
    rows: int
    types: int
    seconds: float


def classifier_train(*, per_type: int | None = None, path: Path | None = None) -> TrainingReport:
    """Learn from the history and replace the model file at once (written beside it, then
    renamed), so a process never reads half a file."""
    started = time.perf_counter()
    path = path or settings.CITYLINE_CLASSIFIER_PATH
    training = training_set_read(per_type=per_type)
    classifier = classifier_fit(training)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            joblib.dump({"format": FORMAT, "classifier": classifier}, file)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return TrainingReport(
        path=path,
        rows=len(training.texts),
        types=training.types,
        seconds=time.perf_counter() - started,
    )


@dataclass(frozen=True)
class Evaluation:
    rows: int
    types: int
    top_1: float
    top_3: float


def classifier_evaluate(*, per_type: int | None = None, held_out: float = 0.2) -> Evaluation:
    """How well a model learned from the history guesses the rest of it: trained on all but a
    `held_out` share of the rows (drawn with a fixed seed), scored on those."""
    training = training_set_read(per_type=per_type)
    rows = list(zip(training.texts, training.codes, strict=True))
    random.Random(311).shuffle(rows)
    cut = int(len(rows) * held_out)
    test, train = rows[:cut], rows[cut:]
    classifier = classifier_fit(
        TrainingSet(texts=[t for t, _ in train], codes=[c for _, c in train])
    )
    if not test:
        return Evaluation(rows=0, types=training.types, top_1=0.0, top_3=0.0)
    probabilities = classifier.pipeline.predict_proba([t for t, _ in test])
    codes = classifier.codes
    top_1 = top_3 = 0
    for (_, expected), row in zip(test, probabilities, strict=True):
        best = [codes[i] for i in row.argsort()[::-1][:3]]
        top_1 += best[0] == expected
        top_3 += expected in best
    return Evaluation(
        rows=len(test), types=training.types, top_1=top_1 / len(test), top_3=top_3 / len(test)
    )


class _Loaded:
    """This process's copy of the model file, read again when the file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # The file's (path, modification time, size) and what it held: a model, or None for a
        # file of another format, which is not read again until it changes.
        self._kept: tuple[tuple[str, int, int], ServiceTypeClassifier | None] | None = None

    def get(self) -> ServiceTypeClassifier | None:
        path: Path = settings.CITYLINE_CLASSIFIER_PATH
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        signature = (str(path), stat.st_mtime_ns, stat.st_size)
        kept = self._kept
        if kept is not None and kept[0] == signature:
            return kept[1]
        with self._lock:
            if self._kept is None or self._kept[0] != signature:
                stored = joblib.load(path)
                classifier = (
                    stored["classifier"]
                    if isinstance(stored, dict) and stored.get("format") == FORMAT
                    else None
                )
                self._kept = (signature, classifier)
            return self._kept[1]


_loaded = _Loaded()


def classifier_get() -> ServiceTypeClassifier | None:
    """The trained model, or None when none has been trained."""
    return _loaded.get()


def classifier_scores(*, text: str) -> dict[str, float]:
    """Each learned type's probability for `text` (by code); empty without a trained model."""
    classifier = classifier_get()
    return classifier.scores(text) if classifier is not None else {}
