from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pypinyin import lazy_pinyin


class LettersAndDigitsValidator:
    """A password must mix letters and digits (等保 password complexity)."""

    def validate(self, password: str, user: Any = None) -> None:
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(
                _("The password must contain both letters and digits."), code="password_letters_digits"
            )

    def get_help_text(self) -> str:
        return _("Your password must contain both letters and digits.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message of our own: Django 5.2 reworded its English
    text and its Chinese catalogue still has the old wording, so the "too
    short" message came out in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it must have at least %(min_length)d character.",
            "The password is too short: it must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: "Zhang.Wei-88" → "zhangwei88"."""
    return "".join(c for c in text.lower() if c.isascii() and c.isalnum())


def name_pinyin(full_name: str) -> set[str]:
    """The spellings of a Chinese name someone would build a password from:
    surname + given name, given name + surname, the given name alone (张伟 →
    zhangwei, weizhang; 王小明 → also xiaoming). Shorter than 4 letters is too
    common a fragment to refuse."""
    syllables = [_fold(s) for s in lazy_pinyin(full_name.strip())]
    syllables = [s for s in syllables if s]
    spellings = {"".join(syllables), "".join(syllables[1:] + syllables[:1]), "".join(syllables[1:])}
    spellings |= {s.replace("v", "u") for s in spellings}  # 吕 is "lv" in pinyin, typed "lu"
    return {s for s in spellings if len(s) >= 4}


class PersonalInfoValidator:
    """A password is not built from the username or the person's name in
    pinyin (Django's similarity check compares whole strings and knows no
    pinyin: "zhangwei2026" for 张伟 passes it)."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = _fold(password)
        raw = (getattr(user, "username", "") or "").lower()
        username = _fold(raw)
        # The whole username, or a word of it: "admin" in fz_admin.
        pieces = [username] if len(username) >= 3 else []
        pieces += re.findall(r"[a-z]{4,}", raw)
        if any(p in folded for p in pieces):
            raise ValidationError(_("The password must not be built from the username."), code="password_has_username")
        if any(p in folded for p in name_pinyin(getattr(user, "full_name", "") or "")):
            raise ValidationError(
                _("The password must not be built from the person's name in pinyin."), code="password_has_name"
            )

    def get_help_text(self) -> str:
        return _("Your password cannot contain your username or your name in pinyin.")


class DemoPasswordValidator:
    """The demo password is printed in the README and by `make run`."""

    def validate(self, password: str, user: Any = None) -> None:
        from core.demo import DEMO_PASSWORD

        if _fold(DEMO_PASSWORD) in _fold(password):
            raise ValidationError(_("This is the public demo password: choose another one."), code="password_demo")

    def get_help_text(self) -> str:
        return _("Your password cannot be the public demo password.")


def _classes(password: str) -> int:
    """How many of the four classes a password mixes: lower case, upper case, digits, other."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    """A password mixes PASSWORD_MIN_CLASSES of the four character classes
    (the 等保 profile: three); off below two."""

    def validate(self, password: str, user: Any = None) -> None:
        from django.conf import settings

        wanted = settings.PASSWORD_MIN_CLASSES
        if wanted >= 2 and _classes(password) < wanted:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)s of these: lower-case letters, upper-case letters, "
                    "digits, symbols."
                )
                % {"n": wanted},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        from django.conf import settings

        if settings.PASSWORD_MIN_CLASSES < 2:
            return ""
        return _(
            "Your password must mix at least %(n)s of these: lower-case letters, upper-case letters, digits, symbols."
        ) % {"n": settings.PASSWORD_MIN_CLASSES}


class PasswordHistoryValidator:
    """None of the user's last PASSWORD_HISTORY passwords (the current one
    included) comes back (the 等保 profile: five)."""

    def validate(self, password: str, user: Any = None) -> None:
        from django.conf import settings
        from django.contrib.auth.hashers import check_password

        from accounts.models import PasswordHistory

        keep = settings.PASSWORD_HISTORY
        if keep <= 0 or user is None or user.pk is None:
            return
        earlier = {user.password, *PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:keep]}
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                ngettext(
                    "This password was used recently: choose one different from your last %(n)d.",
                    "This password was used recently: choose one different from your last %(n)d.",
                    keep,
                )
                % {"n": keep},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return ""
