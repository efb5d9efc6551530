from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from core import identity
from core.identity import (
    credit_check_char,
    id_check_char,
    make_resident_id,
    mask_id,
    parse_date,
    parse_resident_id,
    validate_credit_code,
    validate_phone,
)

ids = st.builds(
    make_resident_id,
    st.sampled_from(["350502", "110101", "440305", "350581"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2024, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["M", "F"]),
)


@given(ids)
def test_it_accepts_every_valid_id_and_derives_birth_date_and_sex(number):
    rid = parse_resident_id(number)
    assert rid.number == number
    assert rid.birth_date == dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert rid.sex == ("M" if int(number[16]) % 2 else "F")


@given(ids, st.integers(0, 17), st.integers(1, 9))
def test_it_rejects_an_id_with_one_character_changed(number, pos, delta):
    chars = list(number)
    if pos == 17:
        alphabet = "0123456789X"
        chars[17] = alphabet[(alphabet.index(chars[17]) + delta) % 11]
    else:
        chars[pos] = str((int(chars[pos]) + delta) % 10)
    with pytest.raises(ValidationError):
        parse_resident_id("".join(chars))


def test_it_upgrades_a_15_digit_id():
    rid = parse_resident_id("350502500101123")
    assert rid.number == "35050219500101123" + id_check_char("35050219500101123")
    assert rid.birth_date == dt.date(1950, 1, 1) and rid.sex == "M"


def test_it_normalises_full_width_digits_and_spaces_and_lower_x():
    number = make_resident_id("350502", dt.date(1960, 2, 3), 1, "M")
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert parse_resident_id(f" {wide[:6]} {wide[6:]} ").number == number


@pytest.mark.parametrize(
    "bad",
    ["", "12345", "35050219990231123X", "350502" + "30000101" + "1234", "0" * 18],
)
def test_it_rejects_malformed_ids(bad):
    with pytest.raises(ValidationError):
        parse_resident_id(bad)


def test_it_rejects_a_birth_date_in_the_future():
    body = "350502" + "20990101" + "123"
    with pytest.raises(ValidationError):
        parse_resident_id(body + id_check_char(body))


def test_it_masks_ids():
    assert mask_id("350502195001011234") == "3505**********1234"


_CC = "0123456789ABCDEFGHJKLMNPQRTUWXY"
credit_bodies = st.tuples(
    st.sampled_from("159"),
    st.sampled_from("123"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(_CC, min_size=9, max_size=9),
).map(lambda t: "".join(t))


@given(credit_bodies)
def test_it_accepts_every_valid_credit_code(body):
    code = body + credit_check_char(body)
    assert validate_credit_code(code.lower()) == code


@given(credit_bodies, st.integers(0, 17), st.integers(1, 30))
def test_it_rejects_a_credit_code_with_one_character_changed(body, pos, delta):
    code = list(body + credit_check_char(body))
    code[pos] = _CC[(_CC.index(code[pos]) + delta) % 31]
    with pytest.raises(ValidationError):
        validate_credit_code("".join(code))


def test_it_knows_a_real_credit_code():
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    "ok", ["13812345678", "+8613812345678", "0595-22345678", "059522345678", "１３８１２３４５６７８"]
)
def test_it_accepts_phones(ok):
    assert validate_phone(ok)


@pytest.mark.parametrize("bad", ["12812345678", "1381234567", "595-2234567", "abc"])
def test_it_rejects_phones(bad):
    with pytest.raises(ValidationError):
        validate_phone(bad)


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-05",
        "2024/1/5",
        "2024年1月5日",
        "２０２４年１月５日",
        " 2024.01.05 ",
        "20240105",
        45296,
        "45296",
        dt.datetime(2024, 1, 5, 0, 0),
    ],
)
def test_it_parses_date_spellings(value):
    assert parse_date(value) == dt.date(2024, 1, 5)


@pytest.mark.parametrize("bad", ["2024-02-30", "yesterday", ""])
def test_it_rejects_bad_dates(bad):
    with pytest.raises(ValidationError):
        parse_date(bad)


@pytest.mark.django_db
def test_it_encrypts_hashes_and_rotates_keys(tree, settings):
    from people.tests.factories import PersonFactory

    number = make_resident_id("350502", dt.date(1950, 1, 1), 5, "M")
    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    p = PersonFactory(unit=tree.a1)
    identity.store_id(p, number)
    p.save()
    assert number not in p.id_cipher and p.id_hash == identity.id_hash(number) and p.id_tail == number[-4:]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    p.refresh_from_db()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert identity.decrypt(p.id_cipher) == number
