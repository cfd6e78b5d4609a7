"""`cityline classifier train` and `cityline classifier evaluate`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityline.catalog.classifier import NotEnoughHistory, classifier_evaluate, classifier_train


class Command(BaseCommand):
    help = (
        "Train the service-type classifier on each type's latest described requests and write "
        "it to CITYLINE_CLASSIFIER_PATH, or measure how well it guesses held-out requests."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, text in (
            ("train", "Learn from the history and replace the model file."),
            ("evaluate", "Learn from most of the history and score the rest; writes nothing."),
        ):
            action = actions.add_parser(name, help=text)
            action.add_argument(
                "--per-type",
                type=int,
                default=None,
                help="Each type's latest requests to learn from "
                "(default: CITYLINE_CLASSIFIER_ROWS_PER_TYPE).",
            )

    def handle(self, *args, action: str, per_type: int | None, **options) -> None:
        if per_type is not None and per_type < 1:
            raise CommandError("--per-type must be 1 or more")
        try:
            if action == "train":
                report = classifier_train(per_type=per_type)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Learned from {report.rows:,} descriptions of {report.types} service "
                        f"types in {report.seconds:.1f} s; written to {report.path}"
                    )
                )
                return
            evaluation = classifier_evaluate(per_type=per_type)
        except NotEnoughHistory as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{evaluation.rows:,} held-out descriptions of {evaluation.types} service types: "
            f"top-1 {evaluation.top_1:.3f}, top-3 {evaluation.top_3:.3f}"
        )
