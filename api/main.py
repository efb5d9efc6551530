from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from api import accounts, grading, orgs
from api.auth import AUTH
from api.errors import translate_schema_errors
from audit.denied import denied_record
from core.concurrency import Stale
from core.errors import unavailable_json

api = NinjaAPI(title="Linli API", version="1", auth=AUTH, urls_namespace="api", docs_url="/docs")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    denied_record(request, exc)
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    denied_record(request, exc)
    return api.create_response(request, {"detail": _("Your role does not allow this.")}, status=403)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("Invalid input."), "errors": errors}, status=422)


@api.exception_handler(Stale)
def stale(request: HttpRequest, exc: Stale) -> HttpResponse:
    """A PATCH based on a version someone saved over (api/versions.py): nothing was saved."""
    body = {
        "detail": exc.messages[0],
        "version": exc.version,
        "changes": [{"field": c.field, "theirs": c.theirs, "yours": c.yours} for c in exc.changes],
    }
    response = api.create_response(request, body, status=409)
    response["ETag"] = f'"{exc.version}"'
    return response


@api.exception_handler(NinjaValidationError)
def schema_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = translate_schema_errors(list(exc.errors))
    return api.create_response(request, {"detail": _("Invalid input."), "errors": errors}, status=422)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return unavailable_json(request)  # also with DEBUG on, where ninja would answer 500


api.add_router("/v1/", accounts.router)
api.add_router("/v1/", orgs.router)

# Registries of the five parties (issue 3)
from api import partners as _partners  # noqa: E402
from api import people as _people  # noqa: E402
from api import volunteers as _volunteers  # noqa: E402

api.add_router("/v1/", _people.router)
api.add_router("/v1/", _volunteers.router)
api.add_router("/v1/", _partners.router)
api.add_router("/v1/", grading.router)
from api import matching as _matching  # noqa: E402

api.add_router("/v1/", _matching.router)

from api import reports as _reports  # noqa: E402

api.add_router("/v1/", _reports.router)

# Services (issue 5): cases, groups, activities, volunteer records.
from api import casework as _casework  # noqa: E402
from api import volunteering as _volunteering  # noqa: E402

api.add_router("/v1/", _casework.router)
api.add_router("/v1/", _volunteering.router)

# Service projects (issue 17), read only.
from api import projects as _projects  # noqa: E402

api.add_router("/v1/", _projects.router)

# Venues, rooms and bookings (issue 17), read only.
from api import venues as _venues  # noqa: E402

api.add_router("/v1/", _venues.router)

# Party-building and community profiles (issue 17), read only.
from api import partybuilding as _partybuilding  # noqa: E402

api.add_router("/v1/", _partybuilding.router)
