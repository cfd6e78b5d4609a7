import pytest
from django.core.exceptions import ImproperlyConfigured

from cityline.core.env import env_bool, env_int, env_list, env_secret, env_str


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", " on "])
def test_env_bool_reads_the_usual_words_for_true(monkeypatch, raw):
    # given
    monkeypatch.setenv("CITYLINE_FLAG", raw)
    # then
    assert env_bool("CITYLINE_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "OFF", ""])
def test_env_bool_reads_the_usual_words_for_false(monkeypatch, raw):
    # given
    monkeypatch.setenv("CITYLINE_FLAG", raw)
    # then
    assert env_bool("CITYLINE_FLAG", True) is False


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch):
    # given
    monkeypatch.delenv("CITYLINE_FLAG", raising=False)
    # then
    assert env_bool("CITYLINE_FLAG", True) is True
    assert env_bool("CITYLINE_FLAG") is False


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    # given
    monkeypatch.setenv("CITYLINE_FLAG", raw)
    # when / then
    with pytest.raises(ImproperlyConfigured, match="CITYLINE_FLAG must be a boolean"):
        env_bool("CITYLINE_FLAG", False)


@pytest.mark.parametrize(("raw", "value"), [("42", 42), (" 7 ", 7), ("-1", -1), ("0", 0)])
def test_env_int_reads_an_integer(monkeypatch, raw, value):
    # given
    monkeypatch.setenv("CITYLINE_COUNT", raw)
    # then
    assert env_int("CITYLINE_COUNT", 5) == value


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_int_falls_back_to_the_default_when_unset_or_blank(monkeypatch, raw):
    # given
    if raw is None:
        monkeypatch.delenv("CITYLINE_COUNT", raising=False)
    else:
        monkeypatch.setenv("CITYLINE_COUNT", raw)
    # then
    assert env_int("CITYLINE_COUNT", 5) == 5


@pytest.mark.parametrize("raw", ["4.5", "many", "1e3"])
def test_env_int_refuses_anything_but_an_integer_naming_the_variable(monkeypatch, raw):
    # given
    monkeypatch.setenv("CITYLINE_COUNT", raw)
    # when / then
    with pytest.raises(ImproperlyConfigured, match="CITYLINE_COUNT must be an integer"):
        env_int("CITYLINE_COUNT", 5)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    # given
    monkeypatch.setenv("CITYLINE_HOSTS", " 311.example.org, ,api.example.org,")
    # then
    assert env_list("CITYLINE_HOSTS", ["localhost"]) == ["311.example.org", "api.example.org"]


def test_env_list_set_but_empty_is_an_empty_list(monkeypatch):
    # given
    monkeypatch.setenv("CITYLINE_HOSTS", "")
    # then
    assert env_list("CITYLINE_HOSTS", ["localhost"]) == []


def test_env_list_falls_back_to_the_default_when_unset(monkeypatch):
    # given
    monkeypatch.delenv("CITYLINE_HOSTS", raising=False)
    # then
    assert env_list("CITYLINE_HOSTS", ["localhost"]) == ["localhost"]


def test_env_secret_reads_the_variable(monkeypatch):
    # given
    monkeypatch.delenv("CITYLINE_TOKEN_FILE", raising=False)
    monkeypatch.setenv("CITYLINE_TOKEN", "s3cret")
    # then
    assert env_secret("CITYLINE_TOKEN") == "s3cret"


def test_env_secret_prefers_the_file_and_strips_its_newline(monkeypatch, tmp_path):
    # given
    secret = tmp_path / "token"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("CITYLINE_TOKEN", "from-the-variable")
    monkeypatch.setenv("CITYLINE_TOKEN_FILE", str(secret))
    # then
    assert env_secret("CITYLINE_TOKEN") == "from-the-file"


def test_env_secret_refuses_an_unreadable_file_naming_the_variable(monkeypatch, tmp_path):
    # given
    monkeypatch.setenv("CITYLINE_TOKEN_FILE", str(tmp_path / "absent"))
    # when / then
    with pytest.raises(ImproperlyConfigured, match="CITYLINE_TOKEN_FILE"):
        env_secret("CITYLINE_TOKEN")


def test_env_secret_falls_back_to_the_default_when_neither_is_set(monkeypatch):
    # given
    monkeypatch.delenv("CITYLINE_TOKEN", raising=False)
    monkeypatch.delenv("CITYLINE_TOKEN_FILE", raising=False)
    # then
    assert env_secret("CITYLINE_TOKEN", "fallback") == "fallback"
    assert env_secret("CITYLINE_TOKEN") == ""


def test_env_str_reads_the_variable_or_the_default(monkeypatch):
    # given
    monkeypatch.setenv("CITYLINE_ZONE", "America/Chicago")
    monkeypatch.delenv("CITYLINE_OTHER", raising=False)
    # then
    assert env_str("CITYLINE_ZONE", "UTC") == "America/Chicago"
    assert env_str("CITYLINE_OTHER", "UTC") == "UTC"
