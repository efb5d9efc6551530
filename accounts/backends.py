"""The login backend: Django's ModelBackend, except that the logged-in user
is loaded with their unit in one query. Every page needs both (the scope of
every selector starts at the unit, the top bar names it), so loading them
apart cost a second query on each request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UnitModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("unit").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
