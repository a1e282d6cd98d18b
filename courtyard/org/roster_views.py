from django.http import HttpResponse

from courtyard.core.permissions import require_perm

from . import roles


@require_perm(roles.IMPORT_ROSTER)
def roster_import(request):
    return HttpResponse("roster import: being built")
