"""The city formats as sub-commands of `cityline import`."""

import pytest
from django.core.management import CommandError, call_command

from cityline.imports.tests.cities import BOSTON_EXCERPT
from cityline.imports.tests.conftest import run_import


def test_the_help_lists_the_city_formats(capsys):
    # when
    with pytest.raises(SystemExit):
        call_command("import", "--help")
    # then
    printed = capsys.readouterr().out
    for name in ("boston311", "sf311", "la311", "open311json"):
        assert name in printed


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("la311",), "the following arguments are required: path"),
        (("sf311", BOSTON_EXCERPT, "--limit", "0"), "0 is not a positive number"),
        (("boston311", "/nowhere/cases.csv"), "No such file"),
    ],
)
@pytest.mark.django_db
def test_bad_arguments_are_clear_errors(arguments, message):
    # when / then
    with pytest.raises(CommandError, match=message):
        run_import(*arguments)
