"""Who may fetch files owned by service-desk rows (see courtyard.core.file_access)."""

from courtyard.core import file_access

from . import permissions as P


def _event(user, event) -> bool:
    from . import services
    from .models import Request

    req = event.request
    if services.is_reporter(user, req):
        return event.public  # the resident sees the photos of the steps on their own timeline
    if services.is_worker(user, req):
        return True
    return Request.objects.visible_to(user, P.VIEW).filter(pk=req.pk).exists()


file_access.register("servicedesk.requestevent", can_view=_event)
