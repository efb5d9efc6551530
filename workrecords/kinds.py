"""The simple work-record kinds, one row each: the model, its form, the
services that create and correct it, and what its list and page show. The
list, create, edit and detail pages, their URLs and the guard test that every
kind can be corrected (workrecords/tests/test_corrections.py) are all built
from this table, so a new kind gets them by adding its row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from workrecords import corrections, services
from workrecords import forms as f
from workrecords.models import (
    JointMeeting,
    NeedsSurvey,
    ReportingEntry,
    SatisfactionSurvey,
    Supervision,
    TeamMeeting,
    Venue,
    WeeklySummary,
)


@dataclass(frozen=True)
class Kind:
    slug: str
    kwarg: str
    model: type[Model]
    form: type[Any]
    create: Callable[..., Any]
    update: Callable[..., Any]  # (*, actor, record, **fields): a correction, audited with its diff
    title: str | Promise
    new_label: str | Promise
    columns: tuple[tuple[str | Promise, str], ...]
    fields: tuple[tuple[str | Promise, str], ...]


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "meetings",
            "meeting_id",
            TeamMeeting,
            f.MeetingForm,
            services.meeting_create,
            corrections.meeting_update,
            gettext_lazy("Weekly team meetings"),
            gettext_lazy("New meeting"),
            ((gettext_lazy("Attendees"), "attendees"),),
            (
                (gettext_lazy("Attendees"), "attendees"),
                (gettext_lazy("Minutes"), "minutes"),
                (gettext_lazy("Decisions"), "decisions"),
            ),
        ),
        Kind(
            "summaries",
            "summary_id",
            WeeklySummary,
            f.SummaryForm,
            services.summary_create,
            corrections.summary_update,
            gettext_lazy("Weekly summaries"),
            gettext_lazy("New weekly summary"),
            ((gettext_lazy("This week's work"), "summary"),),
            ((gettext_lazy("This week's work"), "summary"), (gettext_lazy("Next week's plan"), "next_week_plan")),
        ),
        Kind(
            "supervisions",
            "supervision_id",
            Supervision,
            f.SupervisionForm,
            services.supervision_create,
            corrections.supervision_update,
            gettext_lazy("Supervision"),
            gettext_lazy("New supervision record"),
            ((gettext_lazy("Supervisor"), "supervisor"), (gettext_lazy("Topics"), "topics")),
            (
                (gettext_lazy("Supervisor"), "supervisor"),
                (gettext_lazy("Topics"), "topics"),
                (gettext_lazy("Follow-ups"), "follow_ups"),
            ),
        ),
        Kind(
            "reporting",
            "entry_id",
            ReportingEntry,
            f.ReportingForm,
            services.reporting_create,
            corrections.reporting_update,
            gettext_lazy("Five-level reporting log"),
            gettext_lazy("New log entry"),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Adopted"), "adopted_label"),
            ),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Notes"), "notes"),
                (gettext_lazy("Adopted"), "adopted_label"),
            ),
        ),
        Kind(
            "joint-meetings",
            "joint_id",
            JointMeeting,
            f.JointMeetingForm,
            services.joint_meeting_create,
            corrections.joint_meeting_update,
            gettext_lazy("Joint meetings"),
            gettext_lazy("New joint meeting"),
            ((gettext_lazy("Topics"), "topics"),),
            (
                (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Topics"), "topics"),
                (gettext_lazy("Resolutions"), "resolutions"),
            ),
        ),
        Kind(
            "surveys",
            "survey_id",
            NeedsSurvey,
            f.SurveyForm,
            services.survey_create,
            corrections.survey_update,
            gettext_lazy("Needs surveys"),
            gettext_lazy("New needs survey"),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Participants"), "participants"),
            ),
            (
                (gettext_lazy("Kind"), "get_kind_display"),
                (gettext_lazy("Title"), "title"),
                (gettext_lazy("Participants"), "participants"),
                (gettext_lazy("Notes / findings"), "notes"),
            ),
        ),
        Kind(
            "satisfaction",
            "satisfaction_id",
            SatisfactionSurvey,
            f.SatisfactionForm,
            services.satisfaction_create,
            corrections.satisfaction_update,
            gettext_lazy("Satisfaction surveys"),
            gettext_lazy("New satisfaction response"),
            (
                (gettext_lazy("After"), "get_subject_type_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Score"), "score"),
            ),
            (
                (gettext_lazy("After"), "get_subject_type_display"),
                (gettext_lazy("Subject"), "subject"),
                (gettext_lazy("Score"), "score"),
                (gettext_lazy("Comment"), "comment"),
            ),
        ),
        Kind(
            "venues",
            "venue_id",
            Venue,
            f.VenueForm,
            services.venue_create,
            corrections.venue_update,
            gettext_lazy("Venues"),
            gettext_lazy("New venue"),
            ((gettext_lazy("Name"), "name"), (gettext_lazy("Address"), "address")),
            (
                (gettext_lazy("Name"), "name"),
                (gettext_lazy("Address"), "address"),
                (gettext_lazy("Capacity"), "capacity"),
                (gettext_lazy("Latitude"), "latitude"),
                (gettext_lazy("Longitude"), "longitude"),
            ),
        ),
    )
}
