"""Structured logs: a request id for every log line of a request, one line per request, and a JSON formatter.

A JSON line holds time (ISO 8601, UTC), level, logger, message and request_id; the request lines add method, path,
status, duration_ms and user_id. Never log personal data: paths are logged without their query string (a search may
carry a NIR) and users by their id only.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver

REQUEST_ID_HEADER = "X-Request-ID"
# A request id set by the load balancer is kept, so that its logs and ours can be joined; anything else (too long,
# unexpected characters that could forge log lines) is replaced.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id_var = contextvars.ContextVar("request_id", default=None)

request_logger = logging.getLogger("inclusion.request")

JSON_SCALARS = (str, int, float, bool, type(None))

# Attributes every LogRecord has: anything else on a record was passed in `extra`.
STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line.

    Values passed in `extra` are added when they are plain JSON values (strings, numbers, booleans, None): objects such
    as the request Django attaches to its own records are left out, their text may hold a query string.
    """

    def format(self, record):
        created = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        entry = {
            "time": created.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and name not in entry and isinstance(value, JSON_SCALARS):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id_from(request):
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def user_id_of(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Gives each request an id (logs, X-Request-ID response header) and logs one line when it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        # Cleared by the request_finished signal, not here: Django logs its 4xx warnings ("Not Found: /...") after the
        # middleware have returned, and these lines must carry the id too.
        request_id_var.set(request.request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user_id_of(request),
            },
        )
        return response


@receiver(request_finished, dispatch_uid="inclusion.utils.logging.clear_request_id")
def clear_request_id(**kwargs):
    """What runs next in this thread (another request, a task run in-process) is not logged under this request."""
    request_id_var.set(None)
