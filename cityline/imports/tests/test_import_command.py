"""The `import` command itself: its formats, and what it says when misused."""

import argparse
import io

import pytest
from django.core.management import CommandError, call_command

from cityline.imports.registry import ImportFormat, import_formats, register


def test_every_format_module_is_a_sub_command():
    # when
    formats = import_formats()
    # then
    assert {"nyc311", "boundaries"} <= set(formats)
    assert all(issubclass(cls, ImportFormat) for cls in formats.values())


def test_the_help_lists_the_formats(capsys):
    # when
    with pytest.raises(SystemExit):
        call_command("import", "--help")
    # then
    printed = capsys.readouterr().out
    assert "nyc311" in printed
    assert "boundaries" in printed


def test_an_unknown_format_is_an_error():
    # when / then
    with pytest.raises(CommandError, match="invalid choice: 'chicago311'"):
        call_command("import", "chicago311", "requests.csv", stdout=io.StringIO())


def test_a_format_needs_its_arguments():
    # when / then
    with pytest.raises(CommandError, match="the following arguments are required: path"):
        call_command("import", "nyc311", stdout=io.StringIO())


@pytest.mark.parametrize("value", ["0", "-5", "many"])
def test_limit_and_batch_size_must_be_positive_whole_numbers(value):
    # when / then
    for option in ("--limit", "--batch-size"):
        with pytest.raises(CommandError, match="argument --"):
            call_command("import", "nyc311", "requests.csv", option, value, stdout=io.StringIO())


def test_two_formats_may_not_share_a_name():
    # given
    class Clash(ImportFormat):
        name = "nyc311"
        help = "a second nyc311"

        def add_arguments(self, parser: argparse.ArgumentParser) -> None:
            pass

    # when / then
    with pytest.raises(ValueError, match="two import formats are named 'nyc311'"):
        register(Clash)
