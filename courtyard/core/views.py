from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
def healthz(request):
    """200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def serve_file(request, pk: int):
    """An uploaded file, only for someone who may see the object it belongs to (or if it was published)."""
    from django.contrib.auth.views import redirect_to_login

    from . import file_access
    from .models import Attachment

    attachment = Attachment.objects.select_related("owner_type").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    if not file_access.may_view(request.user, attachment):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return file_access.file_response(attachment, public=file_access.is_public(attachment))


def api_not_found(request, *args, **kwargs):
    """Any /api/ address that names no endpoint: a JSON 404, as the API's own 404s are."""
    return JsonResponse({"detail": "Not found."}, status=404)
