"""Identifiers of people and organisations, and the normalisation of what
people type or paste from Excel.

- Resident ID (GB 11643-1999): checksum, real birth date, 15 → 18 upgrade,
  derived birth date and sex; reconciling an ID with an entered birth date
  and sex (`reconcile_identity`, the one rule forms and imports share).
- Unified social credit code (GB 32100-2015) checksum.
- Phones: mobile and landline forms.
- Names: pinyin and initials for search; the sex words rosters use.
- Resident IDs at rest: MultiFernet ciphertext (newest key first, older keys
  still decrypt; `manage.py rotate_field_keys` re-encrypts), a keyed
  HMAC-SHA256 for equality look-up and de-duplication, the last four
  characters for masked display and tail search.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

# ---------------------------------------------------------------- normalising

_SPACES = re.compile(r"[\s\u3000\u00a0]+")


def normalise_text(value: Any) -> str:
    """Full-width letters/digits → ASCII (NFKC), stray and ideographic spaces removed
    at the ends and collapsed inside."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff·])\s+(?=[\u3400-\u9fff·])")


def normalise_name(value: Any) -> str:
    """A person's name: as `normalise_text`, and no spaces between Chinese characters (张 三 → 张三)."""
    return _CJK_GAP.sub("", normalise_text(value))


def normalise_code(value: Any) -> str:
    """For IDs, codes and phones: NFKC, every space removed, upper case."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value))).upper()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value: Any) -> dt.date:
    """A date from a cell or a form: date/datetime objects, Excel serial numbers,
    2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105 (full-width digits too)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = normalise_code(value)
    if not text:
        raise ValidationError(_("A date is required."))
    text = text.split(" ")[0].split("T")[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    else:
        if re.fullmatch(r"\d{1,5}(\.\d+)?", text):
            return _from_serial(float(text))
    raise ValidationError(_("“%(value)s” is not a date (write it like 2024-01-05).") % {"value": value})


def _from_serial(number: float) -> dt.date:
    if not 1 <= number < 2958466:
        raise ValidationError(_("“%(value)s” is not a date (write it like 2024-01-05).") % {"value": number})
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


# ------------------------------------------------------------ names and sex

# What rosters write in a sex column (the resident ID, when given, decides).
SEX_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F"}


@lru_cache(maxsize=32768)
def _char_pinyin(ch: str) -> str:
    return "".join(lazy_pinyin(ch)).lower()


@lru_cache(maxsize=65536)
def pinyin_of(name: str) -> tuple[str, str]:
    """(full pinyin, initials), lower case without tones: 张三 → ("zhangsan", "zs").
    Character by character (a name is not a phrase), cached per character and
    per name: importing 100,000 names costs a dictionary look-up per character."""
    full, initials = [], []
    for ch in name:
        if ch.isspace() or ch in "·•":
            continue
        py = _char_pinyin(ch)
        full.append(py)
        if py:
            initials.append(py[0])
    return "".join(full), "".join(initials)


# ---------------------------------------------------------------- resident ID

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str  # 18 characters, upper-case X
    birth_date: dt.date
    sex: str  # "M" / "F"


def parse_resident_id(value: Any, *, today: dt.date | None = None) -> ResidentId:
    """Validate a resident ID (GB 11643); a 15-digit legacy number is upgraded
    to 18. Raises ValidationError with a message saying what is wrong."""
    raw = normalise_code(value)
    if re.fullmatch(r"\d{15}", raw):
        body = raw[:6] + "19" + raw[6:15]
        raw = body + id_check_char(body)
    if not re.fullmatch(r"\d{17}[\dX]", raw):
        raise ValidationError(_("A resident ID has 18 characters: 17 digits and a digit or X."))
    if raw[0] == "0":
        raise ValidationError(_("The resident ID does not start with a valid area code."))
    try:
        born = dt.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        raise ValidationError(_("The resident ID does not contain a real birth date.")) from None
    if born > (today or timezone.localdate()) or born.year < 1890:
        raise ValidationError(_("The resident ID does not contain a real birth date."))
    if id_check_char(raw[:17]) != raw[17]:
        raise ValidationError(_("The resident ID check character is wrong; please check every digit."))
    return ResidentId(number=raw, birth_date=born, sex="M" if int(raw[16]) % 2 else "F")


def reconcile_identity(
    *, resident_id: str, birth_date: dt.date | None, sex: str | None, today: dt.date | None = None
) -> tuple[ResidentId | None, dt.date, str]:
    """The one rule for who a person is, for forms, imports and the API alike:
    a resident ID (if given) decides the birth date and sex, and an entered
    date or sex must agree with it; without an ID both are required and the
    birth date cannot lie ahead. Returns (parsed ID or None, birth date, sex);
    raises ValidationError keyed by "resident_id", "birth_date" and "sex"."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if resident_id:
        try:
            parsed = parse_resident_id(resident_id, today=today)
        except ValidationError as exc:
            raise ValidationError({"resident_id": exc.messages[0]}) from None
        if birth_date and birth_date != parsed.birth_date:
            errors["birth_date"] = _("The birth date does not match the resident ID (%(date)s).") % {
                "date": parsed.birth_date.isoformat()
            }
        if sex and sex != parsed.sex:
            errors["sex"] = _("The sex does not match the resident ID.")
        if errors:
            raise ValidationError(errors)
        return parsed, parsed.birth_date, parsed.sex
    if birth_date is None:
        errors["birth_date"] = _("Enter the birth date or a resident ID.")
    elif birth_date > today:
        errors["birth_date"] = _("The birth date cannot be in the future.")
    if not sex:
        errors["sex"] = _("Enter the sex or a resident ID.")
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None and sex
    return None, birth_date, sex


def make_resident_id(area: str, born: dt.date, seq: int, sex: str) -> str:
    """A valid 18-character ID (for demo data and tests)."""
    seq = seq % 1000
    if (seq % 2 == 1) != (sex == "M"):
        seq = (seq + 1) % 1000
    body = f"{area[:6]}{born:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def unique_resident_id(area: str, born: dt.date, sex: str, used: set[str], start: int = 0) -> str:
    """A valid ID not yet in `used` (which it joins); for demo data."""
    k = start
    while True:
        number = make_resident_id(area, born, (2 * k) % 1000, sex)
        if number not in used:
            used.add(number)
            return number
        k += 1


def mask_id(number: str | None = None, *, tail: str = "", head: str = "") -> str:
    """`3505**********1234`: four characters each end, never more."""
    if number:
        return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
    if tail:
        return f"{head[:4] or '****'}{'*' * 10}{tail}"
    return ""


def mask_phone(number: str | None) -> str:
    """`138****5678`: the first three and last four characters of a mobile
    (`059******4321` for a landline), nothing of a short number."""
    number = (number or "").strip()
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


_HOUSE_NUMBER = re.compile(r"[0-9０-９]")


def mask_address(address: str | None) -> str:
    """`东街路****`: the street part of an address without its house number
    (everything from the first digit on); at most half of one without digits."""
    address = (address or "").strip()
    if not address:
        return ""
    found = _HOUSE_NUMBER.search(address)
    keep = found.start() if found else len(address) // 2
    return f"{address[:keep]}****"


# ------------------------------------------------------ credit code (GB 32100)

_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS, strict=True))
    return _CC_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: Any) -> str:
    """Return the normalised 18-character code or raise ValidationError."""
    code = normalise_code(value)
    if len(code) != 18 or any(c not in _CC_CHARS for c in code):
        raise ValidationError(
            _("A unified social credit code has 18 characters (digits and capital letters except I, O, Z, S, V).")
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 of a unified social credit code are the area code digits."))
    if credit_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The unified social credit code check character is wrong; please check it."))
    return code


# ---------------------------------------------------------------- phones

_MOBILE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def validate_phone(value: Any) -> str:
    """Return the normalised phone (spaces removed, full-width → ASCII) or raise."""
    phone = normalise_code(value).replace("－", "-")
    if not phone:
        return ""
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise ValidationError(
        _(
            "“%(value)s” is not a phone number: a mobile has 11 digits starting with 1, a landline looks like 0595-22345678."
        )
        % {"value": value}
    )


# ---------------------------------------------------------------- at rest


def _fernet_key(secret: str) -> bytes:
    """A configured key is used as is when it is a Fernet key; any other
    secret string is stretched with SHA-256 into one."""
    key = secret.encode()
    try:
        Fernet(key)
        return key
    except ValueError:
        return base64.urlsafe_b64encode(hashlib.sha256(key).digest())


@lru_cache(maxsize=4)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    return MultiFernet([Fernet(_fernet_key(k)) for k in keys])


def _cipher() -> MultiFernet:
    return _multi(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return _cipher().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("A stored resident ID cannot be decrypted with the configured keys") from None


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key."""
    return _cipher().rotate(token.encode()).decode() if token else ""


def id_hash(number: str) -> str:
    key = (settings.FIELD_HASH_KEY or "").encode()
    return hmac.new(key, number.encode(), hashlib.sha256).hexdigest()


def store_id(obj: Any, number: str | None) -> None:
    """Set id_cipher/id_hash/id_tail on a Person or Volunteer (number already parsed)."""
    if number:
        obj.id_cipher = encrypt(number)
        obj.id_hash = id_hash(number)
        obj.id_tail = number[-4:]
    else:
        obj.id_cipher, obj.id_hash, obj.id_tail = "", None, ""


def masked_id_of(obj: Any) -> str:
    """The masked ID of a stored record, without decrypting more than needed."""
    if not obj.id_cipher:
        return ""
    return mask_id(decrypt(obj.id_cipher))
