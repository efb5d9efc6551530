"""The district's own lists, edited in pages: service domains (the N of
4+N), category → domain mapping, volunteer skills, need types, resident
categories, local tags, the KPI catalogue and community characteristics,
each with its history; a value in use is retired, never deleted. Also the
assessment-instrument editor. One set of addresses per catalogue, made from
configuration.catalogues.CATALOGUES."""

from django.urls import URLPattern, path

from configuration import views, views_instruments
from configuration.catalogues import CATALOGUES

app_name = "configuration"


def _catalogue_urls() -> list[URLPattern]:
    found = []
    for c in CATALOGUES:
        at, one, slug = c.slug.replace("_", "-"), f"<int:{c.kwarg}>", {"slug": c.slug}
        found += [
            path(f"{at}/", views.entry_list, slug, name=f"{c.slug}_list"),
            path(f"{at}/new/", views.entry_new, slug, name=f"{c.slug}_new"),
            path(f"{at}/{one}/", views.entry_detail, slug, name=f"{c.slug}_entry"),
            path(f"{at}/{one}/edit/", views.entry_edit, slug, name=f"{c.slug}_edit"),
        ]
        if c.retirable:
            found += [
                path(f"{at}/{one}/retire/", views.entry_retire, slug, name=f"{c.slug}_retire"),
                path(f"{at}/{one}/reactivate/", views.entry_reactivate, slug, name=f"{c.slug}_reactivate"),
            ]
    return found


urlpatterns = [
    path("", views.index, name="index"),
    *_catalogue_urls(),
    path("instruments/<int:instrument_id>/", views_instruments.instrument_edit, name="instrument_edit"),
]
