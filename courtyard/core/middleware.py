import contextvars
import logging
import time

log = logging.getLogger("courtyard.request")


class RequestLogMiddleware:
    """Logs method, path, status and duration of every request as structured fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "user_id": getattr(getattr(request, "user", None), "pk", None),
            },
        )
        return response


# Set by every service that hands out full personal data (courtyard.core.middleware.note_reveal); read
# by NoStoreRevealMiddleware for the response that carries it. One value per request (context-local).
_revealed: contextvars.ContextVar[bool] = contextvars.ContextVar("courtyard_revealed", default=False)


def note_reveal() -> None:
    """Mark the current response as carrying revealed personal data: it must never be stored by a cache."""
    _revealed.set(True)


class NoStoreRevealMiddleware:
    """`Cache-Control: no-store` on every response that revealed a full phone or ID number, whatever
    surface it came from (page, htmx partial, API), so neither the browser's back/forward cache nor a
    proxy keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _revealed.set(False)
        try:
            response = self.get_response(request)
            if _revealed.get() and "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store, private, max-age=0"
                response["Pragma"] = "no-cache"
            return response
        finally:
            _revealed.reset(token)
