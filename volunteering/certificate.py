"""志愿服务证明 as a PDF (weasyprint, Noto Sans CJK SC)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def volunteer_number(volunteer: Any) -> str:
    """The volunteer number printed on certificates."""
    return f"V{volunteer.unit.code[:9]}{volunteer.pk:06d}"


def certificate_html(certificate: Any) -> str:
    from core.identity import mask_id

    volunteer = certificate.volunteer
    with translation.override("zh-hans"):
        return render_to_string(
            "volunteering/certificate.html",
            {
                "c": certificate,
                "v": volunteer,
                "number": volunteer_number(volunteer),
                "masked_id": mask_id(tail=volunteer.id_tail) if volunteer.id_tail else "—",
            },
        )


def certificate_pdf(certificate: Any) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate), base_url=str(settings.BASE_DIR)).write_pdf()
