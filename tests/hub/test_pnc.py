"""PNC ID format and check letter (hub.lib.pnc): issue 16 point 10."""

import pytest

from hub.lib import pnc

# Published examples (the Ministry of Justice person record service's validator tests).
KNOWN_GOOD = ["2001/0171310W", "2011/0275516Q", "2008/0056560Z", "2003/0062845E", "1981/0154257C"]


@pytest.mark.parametrize("value", KNOWN_GOOD)
def test_published_pnc_ids_are_valid(value):
    assert pnc.is_valid(value)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("2001/0171310W", "01/0171310W"),
        ("01/171310W", "01/0171310W"),
        (" 01/0171310w ", "01/0171310W"),
        ("16/123456J", "16/0123456J"),
    ],
)
def test_every_written_form_has_one_canonical_form(typed, canonical):
    assert pnc.normalise(typed) == canonical


@pytest.mark.parametrize(
    ("year", "serial", "letter"),
    [
        # Remainder 0 is Z, 1 is A, 22 (the last) is Y: both ends of the alphabet.
        (0, 0, "Z"),
        (0, 1, "A"),
        (0, 22, "Y"),
        (0, 23, "Z"),
        (0, 8, "H"),
        (0, 9, "J"),  # I is skipped
        (0, 13, "N"),
        (0, 14, "P"),  # O is skipped
        (0, 16, "R"),
        (0, 17, "T"),  # S is skipped
    ],
)
def test_check_letter_alphabet_and_its_ends(year, serial, letter):
    assert pnc.check_letter(year, serial) == letter


def test_the_check_letter_is_never_i_o_or_s():
    letters = {pnc.check_letter(0, n) for n in range(200)}
    assert letters == set(pnc.CHECK_LETTERS)
    assert not letters & {"I", "O", "S"}


def test_four_digit_and_two_digit_years_give_the_same_letter():
    assert pnc.check_letter(2016, 123456) == pnc.check_letter(16, 123456)


@pytest.mark.parametrize(
    "value",
    [
        "2001/0171310X",  # wrong check letter
        "2001/0171311W",  # one digit changed
        "2001/0171301W",  # two digits swapped
        "01/0171310",  # no check letter
        "01/01713100W",  # eight-digit serial (seven at most)
        "1/0171310W",  # one-digit year
        "201/0171310W",  # three-digit year
        "01-0171310W",  # no slash
        "01/W",  # no serial
        "AB/0171310W",
        "",
        "01/0171310WW",
        "01/0171310 W",
        "\uff101/0171310W",  # a full-width digit (\\d alone would take it)
    ],
)
def test_bad_pnc_ids_are_refused(value):
    assert not pnc.is_valid(value)
    with pytest.raises(pnc.InvalidPNC):
        pnc.normalise(value)


def test_a_wrong_letter_and_a_wrong_shape_say_different_things():
    with pytest.raises(pnc.InvalidPNC, match="check letter"):
        pnc.normalise("01/0171310X")
    with pytest.raises(pnc.InvalidPNC, match="format"):
        pnc.normalise("01/01713100W")


@pytest.mark.parametrize("serial", [0, 1, 9_999_999])
def test_serial_bounds_are_accepted(serial):
    assert pnc.is_valid(pnc.format_pnc(26, serial))


@pytest.mark.parametrize("serial", [-1, 10_000_000])
def test_serials_outside_seven_digits_are_refused(serial):
    with pytest.raises(pnc.InvalidPNC):
        pnc.format_pnc(26, serial)


def test_factory_and_demo_pnc_ids_are_valid(db):
    from demo import caseloads, core
    from demo.historic import generate
    from tests.factories import PersonFactory

    assert all(pnc.is_valid(PersonFactory.build().pnc_id) for _ in range(30))
    demo_ids = [row[5] for row in core.DEMO_PEOPLE] + [row[2][5] for row in caseloads.DEMO_CASES]
    assert demo_ids
    assert all(pnc.normalise(value) == value for value in demo_ids)
    cases, reoffences = generate()
    refs = {line.split(",")[1] for line in cases.splitlines()[1:]}
    refs |= {line.split(",")[0] for line in reoffences.splitlines()[1:]}
    assert refs
    assert all(pnc.is_valid(ref) for ref in refs)
    assert set(core.LEGACY_PNC_IDS.values()) <= set(demo_ids)
