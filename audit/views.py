from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from audit import lists
from core.access import Perm, requires
from core.lists import list_page


@requires(Perm.AUDIT_VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.EVENTS,
        template="audit/event_list.html",
        context={"title": _("Audit log"), "breadcrumbs": [(_("Audit log"), "")]},
    )
