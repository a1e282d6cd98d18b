"""Open311 GeoReport v2 (X-7) at /open311/v2/: discovery, services, service definitions,
POST requests (form-encoded, api_key), tokens, GET requests with filters, GET requests/{id}.
Every endpoint speaks XML (`.xml`) and JSON (`.json`). Errors are the spec's list of
{code, description} with HTTP 400/403/404. Dates carry their time zone (Asia/Shanghai).

Nothing personal leaves through this API: no reporter names, phones or free-text details;
`description` is the request's short title, with any phone or ID number in it masked."""

from __future__ import annotations

import datetime as dt
import math
from xml.etree import ElementTree as ET

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from courtyard.core import pii
from courtyard.core.audit import Actor
from courtyard.core.models import Channel
from courtyard.core.throttle import client_ip
from courtyard.org.choices import PlaceKind
from courtyard.org.models import Place

from . import services
from .choices import OPEN_STATES, Kind, State
from .models import Category, Request

FORMATS = {"xml": "text/xml", "json": "application/json"}
MAX_RESULTS = 1000
DEFAULT_DAYS = 90


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _xml(root: str, item: str | None, data) -> bytes:
    def fill(el, value):
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, list):
                    wrap = ET.SubElement(el, k)
                    for x in v:
                        fill(ET.SubElement(wrap, k[:-1] if k.endswith("s") else k), x)
                else:
                    fill(ET.SubElement(el, k), v)
        elif isinstance(value, bool):
            el.text = "true" if value else "false"
        elif value is not None:
            el.text = str(value)

    top = ET.Element(root)
    if item is None:
        fill(top, data)
    else:
        for row in data:
            fill(ET.SubElement(top, item), row)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")


def _respond(fmt: str, data, *, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status)


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _respond(fmt if fmt in FORMATS else "xml", [{"code": status, "description": description}],
                    root="errors", item="error", status=status)


def _fmt_or_404(fmt):
    return None if fmt in FORMATS else _error("xml", 404, "format must be xml or json")


# ---------------------------------------------------------------- discovery and services
def discovery(request, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    base = request.build_absolute_uri(reverse("servicedesk:o311_services", args=["xml"])).rsplit("/", 1)[0] + "/"
    data = {
        "changeset": "2026-11-21T00:00:00+08:00",
        "contact": "Community service desk (社区服务中心)",
        "key_service": "Ask the community's IT staff for an API key (console → service desk settings).",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-21T00:00:00+08:00", "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    }
    if fmt == "json":
        return JsonResponse(data)
    return _respond(fmt, data, root="discovery", item=None)


def _service(c: Category) -> dict:
    return {"service_code": c.code, "service_name": c.name, "description": f"{c.parent.name} · {c.name}",
            "metadata": True, "type": "realtime", "keywords": c.parent.code, "group": c.parent.name}


def services_list(request, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    rows = [_service(c) for c in Category.objects.filter(active=True, parent__isnull=False).select_related("parent")]
    return _respond(fmt, rows, root="services", item="service")


KIND_VALUES = [{"key": k.value, "name": str(k.label)} for k in Kind]


def service_definition(request, code: str, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    if not Category.objects.filter(code=code, active=True, parent__isnull=False).exists():
        return _error(fmt, 404, f"service_code {code} not found")
    data = {"service_code": code, "attributes": [
        {"variable": True, "code": "kind", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "", "order": 1, "description": "Kind of request", "values": KIND_VALUES},
        {"variable": True, "code": "urgent", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "", "order": 2, "description": "Is it urgent?",
         "values": [{"key": "no", "name": "no"}, {"key": "yes", "name": "yes"}]},
    ]}
    if fmt == "json":
        return JsonResponse(data)
    return _respond(fmt, data, root="service_definition", item=None)


# ---------------------------------------------------------------- requests
def _status_notes(r: Request) -> str:
    if r.state == State.REFERRED:
        return pii.scrub(f"Referred to {r.referred_to}")
    if r.state == State.MERGED and r.duplicate_of_id:
        return f"Duplicate of {r.duplicate_of_id}"
    return str(State(r.state).label)


def _row(r: Request) -> dict:
    is_open = r.state in OPEN_STATES
    return {
        "service_request_id": str(r.pk), "status": "open" if is_open else "closed", "status_notes": _status_notes(r),
        "service_name": r.category.name, "service_code": r.category.code, "description": pii.scrub(r.title),
        "agency_responsible": r.vendor.name if r.vendor_id else "", "service_notice": "",
        "requested_datetime": _iso(r.created_at), "updated_datetime": _iso(r.updated_at),
        "expected_datetime": _iso(r.resolve_due), "address": r.place.name, "address_id": str(r.place_id),
        "zipcode": "", "lat": _coord(r.lat), "long": _coord(r.long),
        "media_url": "",
    }


def _coord(value) -> float | str:
    """A stored coordinate for the public feed: a finite number or empty (the JSON stays valid JSON)."""
    return value if isinstance(value, (int, float)) and math.isfinite(value) else ""


def _requests_qs():
    return Request.objects.select_related("category", "place", "vendor")


@csrf_exempt
def requests_view(request, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    if request.method == "POST":
        return _post_request(request, fmt)
    if request.method != "GET":
        return _error(fmt, 400, "method not allowed")
    qs = _requests_qs()
    p = request.GET
    if p.get("jurisdiction_id", "").isdigit():
        qs = qs.filter(community_id=int(p["jurisdiction_id"]))
    if p.get("service_request_id"):
        ids = [i for i in p["service_request_id"].split(",") if i.strip().isdigit()]
        qs = qs.filter(pk__in=ids)
    else:
        try:
            start = _parse_date(p.get("start_date"))
            end = _parse_date(p.get("end_date"))
        except ValueError as exc:
            return _error(fmt, 400, str(exc))
        if start is None and end is None:
            start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        if p.get("service_code"):
            qs = qs.filter(category__code__in=p["service_code"].split(","))
        if p.get("status"):
            wanted = set(p["status"].split(","))
            if not wanted <= {"open", "closed"}:
                return _error(fmt, 400, "status must be open or closed")
            if wanted == {"open"}:
                qs = qs.filter(state__in=OPEN_STATES)
            elif wanted == {"closed"}:
                qs = qs.exclude(state__in=OPEN_STATES)
    rows = [_row(r) for r in qs.order_by("-created_at", "-id")[:MAX_RESULTS]]
    return _respond(fmt, rows, root="service_requests", item="request")


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None:
        raise ValueError(f"invalid date {value}; use W3C format, e.g. 2026-11-21T10:00:00+08:00")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def request_detail(request, pk: str, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    r = _requests_qs().filter(pk=int(pk)).first() if pk.isdigit() else None
    if r is None:
        return _error(fmt, 404, f"service_request_id {pk} not found")
    return _respond(fmt, [_row(r)], root="service_requests", item="request")


def token_view(request, token: str, fmt: str):
    if (bad := _fmt_or_404(fmt)) is not None:
        return bad
    r = Request.objects.filter(token=token).only("pk", "token").first() if token else None
    if r is None:
        return _error(fmt, 404, "token not found")
    return _respond(fmt, [{"service_request_id": str(r.pk), "token": r.token}], root="service_requests",
                    item="request")


def _post_request(request, fmt: str):
    p = request.POST
    community = services.key_community(p.get("api_key", ""))
    if community is None:
        return _error(fmt, 403, "api_key is missing or not valid")
    code = p.get("service_code", "")
    category = Category.objects.filter(code=code, active=True, parent__isnull=False).first()
    if category is None:
        return _error(fmt, 404 if code else 400, f"service_code {code} not found" if code else "service_code missing")
    place = None
    if p.get("address_id", "").isdigit():
        place = Place.objects.filter(pk=int(p["address_id"]), community=community,
                                     kind__in=[PlaceKind.BUILDING, PlaceKind.ENTRANCE]).first()
        if place is None:
            return _error(fmt, 400, "address_id is not a building or entrance of this community")
    lat = long = None
    if p.get("lat") or p.get("long"):
        try:
            lat, long = float(p["lat"]), float(p["long"])
        except (KeyError, ValueError, OverflowError):
            return _error(fmt, 400, "lat and long must both be numbers")
        # NaN and ±Infinity parse as floats but are no position (and would make the public JSON invalid).
        if not (math.isfinite(lat) and math.isfinite(long) and -90 <= lat <= 90 and -180 <= long <= 180):
            return _error(fmt, 400, "lat must be within -90..90 and long within -180..180 (WGS-84 degrees)")
    if place is None and lat is None and not p.get("address_string"):
        return _error(fmt, 400, "a location is required: lat & long, address_string or address_id")
    place = place or community
    kind = p.get("attribute[kind]", Kind.REPAIR)
    if kind not in Kind.values:
        return _error(fmt, 400, "attribute[kind] is not one of the listed values")
    description = p.get("description", "").strip()
    title = description.splitlines()[0][:120] if description else category.name
    name = " ".join(x for x in (p.get("first_name", ""), p.get("last_name", "")) if x)
    try:
        req = services.file_request(
            by=Actor(user=None, channel=Channel.API, ip=client_ip(request)), place=place,
            category=category, title=title, description=description + (
                f"\n{p['address_string']}" if p.get("address_string") else ""),
            kind=kind, urgency="urgent" if p.get("attribute[urgent]") == "yes" else "normal",
            source="open311", lat=lat, long=long)
    except ValidationError as exc:
        return _error(fmt, 400, "; ".join(exc.messages))
    if name:
        Request.objects.filter(pk=req.pk).update(reporter_name=name[:60])
    rows = [{"service_request_id": str(req.pk), "token": req.token,
             "service_notice": f"Expected by {_iso(req.resolve_due)}", "account_id": ""}]
    return _respond(fmt, rows, root="service_requests", item="request")
