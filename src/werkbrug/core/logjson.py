"""Log lines as JSON objects (settings.LOGGING): loaded by the logging set-up before Django's apps,
so this module imports nothing of Django or of Werkbrug."""

from __future__ import annotations

import datetime
import json
import logging
from typing import Any

# The attributes every LogRecord has; anything else was passed as `extra` and goes into the line.
PLAIN = (str, int, float, bool, type(None))
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Plain values only: Django's own records carry the request object, whose text holds the query
        # string (search words), so objects are left out rather than written with str().
        line.update(
            {
                key: value
                for key, value in vars(record).items()
                if key not in _STANDARD and isinstance(value, PLAIN)
            }
        )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
