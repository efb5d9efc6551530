"""A column among many values in one parameter: `filter(AnyOf(F("person_id"), ids))`.

`__in` sends one placeholder per value: for the thousands of keys an import
looks up per batch, Django's per-value preparation and the driver's
splitting of the query text cost more than the look-up itself. AnyOf sends
the values as one array on PostgreSQL (`= ANY(%s)`) and one JSON list on
SQLite (`IN (SELECT value FROM json_each(%s))`). Values are ints or strings.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # prepared per value in as_sql, once the column is resolved

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        prep = self.lhs.output_field.get_prep_value
        values = [prep(v) for v in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", (*lhs_params, values)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, json.dumps(values))
