"""The one text form of values: canonical JSON for attributes and params, UTC times.

Kept apart from `lineage.validation` (which loads pydantic and the SPDX licence list), so
that reading the store needs neither (issue 17).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces: the one text form of attributes and params.

    Dates and times become ISO 8601 text. Raises TypeError for values JSON cannot hold.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def utc_text(moment: datetime) -> str:
    """A time as ISO 8601 in UTC ('2025-06-01T08:00:00Z'); times without a zone are UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    text = moment.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")
