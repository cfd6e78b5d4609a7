import pytest

from cityline.channels.words import language_guess, tracking_number_find


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("There is a pothole in front of my house", "en"),
        ("Hay un bache en la calle frente a mi casa", "es"),
        ("يوجد حفرة في الشارع", "ar"),
        ("", "en"),
    ],
)
def test_the_language_of_a_message_is_guessed_from_its_words(text, language):
    # when / then
    assert language_guess(text) == language


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Re: your request 311-ab12-cd34 is still open", "311-AB12-CD34"),
        ("About 311-AB12-CD34.", "311-AB12-CD34"),
        ("call 311-555-1234 please", None),
        ("x311-AB12-CD34", None),
        ("nothing here", None),
    ],
)
def test_a_tracking_number_is_found_as_issued_in_any_case(text, number):
    # when / then
    assert tracking_number_find(text) == number
