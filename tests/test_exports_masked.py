"""A masked export masks every sensitive field: ID numbers, phone numbers and
exact addresses, in every export that lists people."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any, cast

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import identity
from people.models import Person
from people.tests.factories import HouseholdFactory, PersonFactory
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "tests", "bench", "migrations"}

# Every URL that sends an xlsx listing people (with the query that asks for
# the file), and the module that builds it; core/list_export.py serves every
# list of the list toolkit.
EXPORTS = {
    "core/list_export.py": [("people:person_list", "?export=masked"), ("volunteers:volunteer_list", "?export=masked")],
}
# xlsx files that hold no one's personal fields.
AGGREGATES = {
    "reports/builder.py": "figures per unit and narratives",
    "core/excel.py": "blank import templates",
    "projects/report.py": "a project's figures, budget and spending, and the reports' per-project sheet",
}
# xlsx files that give a user back what they uploaded, unmasked so that they
# can fix it and import it again: only to the uploader, audited, and stored
# encrypted for a day (people/tests/test_import_ledger.py checks who gets it).
RETURNED = {"core/ledger.py": "the refused rows of an import, with a reason column"}


def _cells(content: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


@pytest.fixture
def secrets(tree: Any) -> list[str]:
    person_id = identity.make_resident_id("350102", dt.date(1950, 3, 1), 123, "F")
    volunteer_id = identity.make_resident_id("350102", dt.date(1985, 6, 1), 456, "F")
    household = HouseholdFactory(unit=tree.a1, address="幸福路8号2单元")
    person = cast(
        Person,
        PersonFactory(unit=tree.a1, household=household, phone="13855551234", actual_address="东街路12号3单元401"),
    )
    identity.store_id(person, person_id)
    person.save()
    volunteer = cast(Volunteer, VolunteerFactory(unit=tree.a1, phone="13966664321"))
    identity.store_id(volunteer, volunteer_id)
    volunteer.save()
    return [person_id, volunteer_id, "13855551234", "13966664321", "12号3单元401", "8号2单元"]


def test_it_knows_every_module_that_writes_a_spreadsheet() -> None:
    writers = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIP.intersection(rel.parts) and re.search(r"\b(xlsx_response|Workbook)\(", path.read_text()):
            writers.add(str(rel))
    assert writers and writers <= set(EXPORTS) | set(AGGREGATES) | set(RETURNED)


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "query"), sorted(u for urls in EXPORTS.values() for u in urls))
def test_it_masks_ids_phones_and_addresses_in_a_masked_export(
    url_name: str, query: str, secrets: list[str], admin: Any, as_user: Any
) -> None:
    page = as_user(admin).get(reverse(url_name) + query)
    assert page.status_code == 200
    cells = "\n".join(_cells(page.content))
    assert "****" in cells  # the rows are there, masked
    assert [s for s in secrets if s in cells] == []


@pytest.mark.django_db
def test_it_shows_them_in_an_unmasked_export(secrets: list[str], admin: Any, as_user: Any) -> None:
    cells = "\n".join(_cells(as_user(admin).get(reverse("people:person_list") + "?export=unmasked").content))
    assert all(s in cells for s in [secrets[0], "13855551234", "东街路12号3单元401", "幸福路8号2单元"])


def test_it_masks_each_kind_of_value() -> None:
    assert identity.mask_phone("13812345678") == "138****5678"
    assert identity.mask_phone("0591-87654321") == "059******4321"
    assert identity.mask_phone("12345") == "*****"
    assert identity.mask_address("东街路12号3单元401") == "东街路****"
    assert identity.mask_address("三坊七巷南后街") == "三坊七****"
    assert identity.mask_address("") == ""
    assert identity.mask_id("350102195003011234") == "3501**********1234"


def test_it_masks_every_sensitive_column_of_every_list_export() -> None:
    """Each list of the list toolkit declares its export columns: a phone,
    address or ID column must name its masking helper."""
    import importlib

    from core.lists import ListSpec

    sensitive = re.compile(r"电话|地址|住址|身份证|phone|address|resident_id|id_cipher")
    specs = []
    for path in sorted(ROOT.glob("*/lists.py")):
        module = importlib.import_module(f"{path.parent.name}.lists")
        specs += [(path.parent.name, name, v) for name, v in vars(module).items() if isinstance(v, ListSpec)]
    assert specs
    unmasked = [
        f"{app}.{name}: {column.header}"
        for app, name, spec in specs
        if spec.export is not None
        for column in spec.export.columns
        if column.mask is None
        and sensitive.search(f"{column.header} {column.value if isinstance(column.value, str) else ''}")
    ]
    assert unmasked == []


# Every module that writes a PDF, and why what it prints is safe: printed
# records mask IDs, phones and exact addresses as the masked exports do.
PDF_WRITERS = {
    "core/pdf.py": "the one PDF helper",
    "paperwork/services.py": "the standard forms (masked; paperwork/tests and below)",
    "grading/visit_pdf.py": "visit records (masked; grading/tests/test_visit_record.py)",
    "volunteering/certificate.py": "volunteer certificates (masked ID)",
    "projects/report.py": "a project's figures",
    "reports/builder.py": "figures per unit and narratives",
}
# Printed forms listing people, by the record of the secrets fixture they print.
PDF_EXPORTS = {"paperwork:household": lambda person: person.household_id}


def test_it_knows_every_module_that_writes_a_pdf() -> None:
    writers = set()
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if not SKIP.intersection(rel.parts) and re.search(r"\b(write_pdf|render_pdf|html_to_pdf)\(", path.read_text()):
            writers.add(str(rel))
    assert writers and writers <= set(PDF_WRITERS)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(PDF_EXPORTS))
def test_it_masks_ids_phones_and_addresses_in_a_printed_form(
    url_name: str, secrets: list[str], admin: Any, as_user: Any
) -> None:
    import subprocess

    person = Person.objects.get(phone="13855551234")
    page = as_user(admin).get(reverse(url_name, args=[PDF_EXPORTS[url_name](person)]))
    assert page.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=page.content, capture_output=True, check=True).stdout.decode()
    assert "****" in text and person.name in text
    assert [s for s in secrets if s in text] == []
