from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    GRANDCHILD = "grandchild", _("grandchild")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("sibling")
    OTHER = "other", _("other relative")


class PersonStatus(models.TextChoices):
    """Whether the station still serves the person. Leaving keeps every
    record; `Person.is_active` is the flag the follow-up lists read."""

    ACTIVE = "active", _("served")
    MOVED = "moved", _("moved away (迁出)")
    DECEASED = "deceased", _("deceased (去世)")
    ENDED = "ended", _("service ended (停止服务)")
    MERGED = "merged", _("merged into another file (已合并)")


class CategoryGroup(models.TextChoices):
    ASSISTANCE = "assistance", _("social assistance")
    DISABILITY = "disability", _("disability")
    ELDERLY = "elderly", _("elderly")
    CHILDREN = "children", _("children")
    CUSTOM = "custom", _("local tag")


class CategoryType(models.Model):
    """A recipient category (低保, 特困, 残疾, 独居, 困境儿童 …) or a local tag.
    Rows, not constants: the defaults of domain.md come from a data migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    group = models.CharField(_("group"), max_length=20, choices=CategoryGroup.choices)
    sensitive = models.BooleanField(_("sensitive (PIPL)"), default=True)
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("recipient category")
        verbose_name_plural = _("recipient categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """一户一档: one file per household."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    address = models.CharField(_("address"), max_length=200)
    head = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("head of household"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household file (一户一档)")
        verbose_name_plural = _("household files")

    def __str__(self) -> str:
        return self.address


# Search keys (people/search_keys.py) matched by prefix or equality (people/selectors.py).
SEARCH_PREFIX_KEYS = (
    "name_pinyin",
    "name_initials",
    "id_tail",
    "phone_tail",
    "phone2_tail",
    "name_suffix1",
    "name_suffix2",
)


class Person(models.Model):
    """A resident served by the station (服务对象)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("household"),
    )
    relation = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices, blank=True)
    name = models.CharField(_("name"), max_length=50)
    name_pinyin = models.CharField(max_length=200, blank=True, editable=False)
    name_initials = models.CharField(max_length=50, blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    # Resident ID: ciphertext (Fernet), keyed hash for look-ups, last 4 for
    # masked display and tail search. Never stored in clear.
    id_cipher = models.TextField(blank=True, editable=False)
    id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    phone2 = models.CharField(_("second phone"), max_length=20, blank=True)
    # The phones' digits last first: a typed tail is a prefix, an index range
    # (people/search_keys.py fills them with the pinyin keys).
    phone_tail = models.CharField(max_length=20, blank=True, editable=False)
    phone2_tail = models.CharField(max_length=20, blank=True, editable=False)
    # The name without its first one, two and three characters: a term found
    # anywhere in a name is a prefix of the name or of one of them (an index
    # range; people/search_keys.py fills them). The third is empty for names of
    # up to three characters, so its partial index holds the long names only.
    name_suffix1 = models.CharField(max_length=50, blank=True, editable=False)
    name_suffix2 = models.CharField(max_length=50, blank=True, editable=False)
    name_suffix3 = models.CharField(max_length=50, blank=True, editable=False)
    registered_address = models.CharField(_("registered residence (户籍地)"), max_length=200, blank=True)
    actual_address = models.CharField(_("actual residence"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PersonStatus.choices, default=PersonStatus.ACTIVE, editable=False
    )
    status_on = models.DateField(_("since"), null=True, blank=True, editable=False)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Values of the district's custom fields (customfields/): {field code: value}.
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    # A duplicate merged into another file stays as a tombstone pointing at
    # the kept record (people/hygiene/merge.py); links to it redirect there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("resident (服务对象)")
        verbose_name_plural = _("residents")
        ordering = ["name_pinyin", "id"]
        indexes = [
            # A name searched by its start (people/selectors.py); the pattern
            # operator class lets PostgreSQL range a LIKE 'term%' whatever the collation.
            models.Index(fields=["name"], name="person_name_prefix", opclasses=["varchar_pattern_ops"]),
            # The other search keys are looked up by prefix or equality only, which a
            # pattern index serves alone on PostgreSQL (a plain index beside it, as
            # db_index adds, only slows every insert; SQLite ignores the class).
            *(
                models.Index(fields=[key], name=f"person_{key}_prefix", opclasses=["varchar_pattern_ops"])
                for key in SEARCH_PREFIX_KEYS
            ),
            models.Index(fields=["name_suffix3"], name="person_name_suffix3", condition=models.Q(name_suffix3__gt="")),
            # The duplicate finder groups by name and birth date (people/hygiene/duplicates.py).
            models.Index(fields=["name_pinyin", "birth_date"], name="person_pinyin_birth"),
            # The few residents no longer served, which the cards on the grading board
            # and the dashboard leave out (grading.selectors.grades_current): found
            # without reading every resident's row.
            models.Index(fields=["id"], name="person_inactive", condition=models.Q(is_active=False)),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


def age_on(birth: date, day: date) -> int:
    """Whole years from `birth` to `day` (for rows read without a model)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class PersonCategory(models.Model):
    """A dated category held by a person; categories stack."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="categories")
    category = models.ForeignKey(CategoryType, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    subtype = models.CharField(_("subtype"), max_length=30, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade / level"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("category held")
        verbose_name_plural = _("categories held")
        ordering = ["category__order", "start_date"]

    def __str__(self) -> str:
        return f"{self.category}"

    def active_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Guardian(models.Model):
    """A guardian (监护人) of a minor."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("guardian name"), max_length=50)
    relation = models.CharField(_("relation to the child"), max_length=30)
    phone = models.CharField(_("guardian phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("guardian (监护人)")
        verbose_name_plural = _("guardians")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class Consent(models.Model):
    """PIPL consent to process a person's (sensitive) data for a purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    purpose = models.CharField(_("purpose"), max_length=200)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("who consented"), max_length=50)
    by_guardian = models.BooleanField(_("given by a guardian"), default=False)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent (个人信息处理同意)")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return self.purpose


class RequestKind(models.TextChoices):
    SEE = "see", _("see their data")
    EXPORT = "export", _("a copy of their data")
    CORRECT = "correct", _("correct their data")
    DELETE = "delete", _("delete their data")


class DataRequest(models.Model):
    """A data subject's request under PIPL (查阅、复制、更正、删除) and how it was answered."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_requests")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    kind = models.CharField(_("request"), max_length=10, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"))
    answer = models.TextField(_("how it was answered"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    handled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class DuplicateDismissal(models.Model):
    """Two files a worker checked and found to be two different people: the
    duplicate finder no longer offers the pair. `first` is the lower id."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair marked not a duplicate")
        verbose_name_plural = _("pairs marked not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="people_dismissal_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="people_dismissal_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id}≠{self.second_id}"
