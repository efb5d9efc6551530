"""What the URL walk (tests/leakwalk.py) needs from the profile pages: a
characteristic to name (configuration: the walk's station lead may not edit
it), and station B's community profile carrying CANARY."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _profile_b(w: Any) -> Any:
    def make() -> Any:
        from orgs.models import CommunityProfile
        from tests.leakwalk import CANARY

        return CommunityProfile.objects.get_or_create(
            unit=w.tree.b1, defaults={"secretary": CANARY, "notes": CANARY, "population": 1000, "figures_year": 2024}
        )[0]

    return w.once("profile_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    from orgs.models import CommunityTrait

    return {"trait_id": lambda w: CommunityTrait.objects.order_by("pk").first().pk}  # type: ignore[union-attr]


def populators() -> list[Callable[[Any], Any]]:
    return [_profile_b]
