"""The console toolkit (courtyard/core/console): natural order, keyset pages, list pages, exports
(in the request and as background jobs), and the service-backed form helpers."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.functions import Length
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from courtyard.core.audit import Actor
from courtyard.core.console import (
    Column,
    apply_errors,
    natural_key,
    natural_sorted,
    paginate,
    pagination,
    render_rows,
    save,
)
from courtyard.core.console import exports as export_module
from courtyard.core.console.natural import NaturalKey, sort_choices, tree_sorted
from courtyard.core.models import AuditEvent, ExportJob
from courtyard.org import services
from courtyard.org.choices import PlaceKind
from courtyard.org.forms import GrantForm
from courtyard.org.models import Courtyard, Dwelling, Place

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system()


# ---------------------------------------------------------------- natural order
def test_natural_key_orders_numbers_as_numbers():
    names = ["第10网格", "第7网格", "第11网格", "第1网格", "第9网格", "第2网格", "第8网格"]
    assert natural_sorted(names) == ["第1网格", "第2网格", "第7网格", "第8网格", "第9网格", "第10网格", "第11网格"]
    assert natural_sorted(["10栋", "1栋", "2栋", "11栋"]) == ["1栋", "2栋", "10栋", "11栋"]
    assert natural_sorted(["1101", "201", "101", "0102"]) == ["101", "0102", "201", "1101"]
    assert natural_key("1单元") < natural_key("2单元") < natural_key("10单元")
    assert natural_key(None) == ""


def test_natural_key_in_sql_matches_python(tree):
    names = ["10号院", "2号院", "1号院", "学道苑2期", "学道苑10期", "A3", "A03x", "007"]
    for n in names:
        Courtyard.objects.create(community=tree.community_a, name=n)
    in_db = list(Courtyard.objects.filter(name__in=names).order_by(NaturalKey("name"), "pk")
                 .values_list("name", flat=True))
    assert in_db == natural_sorted(names)
    keys = dict(Courtyard.objects.filter(name__in=names).annotate(k=NaturalKey("name")).values_list("name", "k"))
    assert keys == {n: natural_key(n) for n in names}


def test_tree_sorted_keeps_children_under_their_parent_in_natural_order(tree):
    grids = [services.create_place(by=SYSTEM, kind=PlaceKind.GRID, name=f"第{i}网格", code=f"T{i}",
                                   parent=tree.grid1.parent) for i in (10, 2, 1)]
    places = tree_sorted(Place.objects.filter(pk__in=[g.pk for g in grids] + [tree.grid1.parent_id]))
    assert [p.name for p in places][1:] == ["第1网格", "第2网格", "第10网格"]
    assert places[0].pk == tree.grid1.parent_id


def test_grant_form_lists_places_as_a_naturally_sorted_tree(tree, make_user):
    for i in (10, 9, 11):
        services.create_place(by=SYSTEM, kind=PlaceKind.GRID, name=f"第{i}网格", code=f"N{i}",
                              parent=tree.grid1.parent)
    form = GrantForm(user=make_user("community_staff", tree.community_a))
    labels = [str(label) for value, label in form.fields["place"].choices if value]
    grids = [x for x in labels if "第" in x and "网格" in x]
    assert grids.index(next(x for x in grids if "第9网格" in x)) < grids.index(next(x for x in grids if "第10网格" in x))
    assert grids.index(next(x for x in grids if "第10网格" in x)) < grids.index(next(x for x in grids if "第11网格" in x))


def test_sort_choices_keeps_validation_on_the_queryset(tree):
    class F(forms.Form):
        place = forms.ModelChoiceField(queryset=Place.objects.filter(kind=PlaceKind.GRID))

    f = F({"place": tree.grid2.pk})
    sort_choices(f.fields["place"], lambda qs: natural_sorted(qs, key=lambda p: p.name)[::-1])
    shown = [v for v, _label in f.fields["place"].choices if v]
    assert len(shown) == Place.objects.filter(kind=PlaceKind.GRID).count()
    assert f.is_valid() and f.cleaned_data["place"] == tree.grid2


# ---------------------------------------------------------------- keyset pages
@pytest.fixture
def rooms(tree):
    for n in ["1", "2", "3", "10", "11", "12", "20", "100", "110", "1001", "9", "30"]:
        services.create_dwelling(by=SYSTEM, entrance=tree.entrance3, number=n)
    return Dwelling.objects.filter(entrance=tree.entrance3)


ROOM_ORDER = ("entrance_id", Length("number"), "number")


def test_keyset_pages_walk_forward_and_back_without_gaps(rooms):
    everything = [d.number for d in rooms.order_by(Length("number"), "number")]
    assert everything[:4] == ["1", "2", "3", "9"] and everything[-1] == "1001"
    seen, cursor, pages = [], None, []
    while True:
        page = paginate(rooms, ROOM_ORDER, after=cursor, per_page=5)
        pages.append(page)
        seen += [d.number for d in page.rows]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == everything and len(pages) == 3
    assert not pages[0].has_previous and pages[1].has_previous and pages[2].has_previous
    back = paginate(rooms, ROOM_ORDER, before=pages[2].previous_cursor, per_page=5)
    assert [d.number for d in back.rows] == [d.number for d in pages[1].rows]
    assert back.has_next and back.has_previous
    first = paginate(rooms, ROOM_ORDER, before=pages[1].previous_cursor, per_page=5)
    assert [d.number for d in first.rows] == everything[:5] and not first.has_previous


def test_keyset_descending_and_bad_cursor(rooms):
    page = paginate(rooms, ("-pk",), per_page=4)
    nxt = paginate(rooms, ("-pk",), after=page.next_cursor, per_page=4)
    assert [d.pk for d in page.rows + nxt.rows] == list(rooms.order_by("-pk").values_list("pk", flat=True))[:8]
    for bad in ("%%%", "bm90IGpzb24", pagination.encode_cursor([1, 2, 3]), pagination.encode_cursor([[1]])):
        again = paginate(rooms, ("-pk",), after=bad, per_page=4)
        assert [d.pk for d in again.rows] == [d.pk for d in page.rows]


def test_keyset_page_is_one_query_with_a_capped_count(rooms, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as ctx:
        page = paginate(rooms, ROOM_ORDER, per_page=3)
        later = paginate(rooms, ROOM_ORDER, per_page=3, after=page.next_cursor)
    assert len(ctx.captured_queries) == 2  # one per page
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"]  # the count stops at COUNT_CAP + 1
    assert page.count == later.count == 6 and page.count_capped
    monkeypatch.undo()
    small = paginate(rooms, ROOM_ORDER, per_page=50)
    assert small.count == rooms.count() == len(small.rows) and not small.count_capped
    past_the_end = paginate(rooms, ROOM_ORDER, after=small.next_cursor)
    assert past_the_end.rows == [] and past_the_end.count == rooms.count()


# ---------------------------------------------------------------- rendering
def test_rows_are_escaped_and_linked():
    class R:
        pk = 7
        name = '<script>alert("x")</script>'
        area = None

    html = render_rows([Column("name", "Name", link=lambda r: f"/x/{r.pk}/?a=1&b=2"), Column("area", "Area")], [R()])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="/x/7/?a=1&amp;b=2">' in html and "<td>—</td>" in html


# ---------------------------------------------------------------- the list page in use
@pytest.fixture
def staff_client(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def _dwelling_ids(response) -> list[int]:
    body = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [int(pk) for pk in re.findall(r'href="/console/dwellings/(\d+)/"', body)]


def test_dwelling_list_pages_by_cursor(tree, rooms, staff_client, monkeypatch):
    from courtyard.org.lists import DwellingList

    monkeypatch.setattr(DwellingList, "per_page", 5)
    first = staff_client.get("/console/dwellings/", {"q": "", "courtyard": tree.entrance3.parent.courtyard_id})
    assert first.status_code == 200
    page = first.context["page"]
    assert len(_dwelling_ids(first)) == 5 and page.has_next
    html = first.content.decode()
    assert f"after={page.next_cursor}" in html and 'rel="next"' in html
    second = staff_client.get("/console/dwellings/", {"courtyard": tree.entrance3.parent.courtyard_id,
                                                      "after": page.next_cursor})
    assert second.status_code == 200
    assert len(_dwelling_ids(second)) == 5 and not set(_dwelling_ids(first)) & set(_dwelling_ids(second))
    assert 'rel="prev"' in second.content.decode()


def test_a_kept_list_shows_an_edit_a_new_row_and_a_grant_at_once(tree, rooms, staff_client, make_user, login,
                                                                  django_assert_max_num_queries):
    """The dwelling list keeps its table per user and query under the data versions of what it shows
    (core/versions.py, ADR 0035): a repeat view runs no list query; any write to those models shows."""
    from courtyard.org.models import Dwelling

    url = "/console/dwellings/"
    params = {"courtyard": tree.entrance3.parent.courtyard_id}
    first = _dwelling_ids(staff_client.get(url, params))
    with django_assert_max_num_queries(4):  # session, user, grants (the permission check), nothing for the table
        assert _dwelling_ids(staff_client.get(url, params)) == first
    room = Dwelling.objects.get(pk=first[0])
    room.number = "9901"
    room.save(update_fields=["number"])
    assert "9901" in staff_client.get(url, params).content.decode()
    room.delete()
    assert room.pk not in _dwelling_ids(staff_client.get(url, params))
    # Each user sees their own scope: a grid worker of another grid is not served the staff's table.
    other = login(make_user("grid_worker", tree.grid2))
    theirs = _dwelling_ids(other.get(url, params))
    assert theirs != _dwelling_ids(staff_client.get(url, params))
    assert set(theirs) <= set(Dwelling.objects.filter(path__startswith=tree.grid2.path).values_list("pk", flat=True))


def test_list_sorts_only_by_declared_columns(tree, staff_client):
    by_name = staff_client.get("/console/people/", {"sort": "-name"})
    names = [p.name for p in by_name.context["page"].rows]
    assert names == sorted(names, reverse=True) and 'aria-sort="descending"' in by_name.content.decode()
    assert staff_client.get("/console/people/", {"sort": "phone_hash"}).status_code == 200  # ignored


# ---------------------------------------------------------------- exports
def _sheet(content: bytes):
    return list(load_workbook(io.BytesIO(content)).active.values)


def test_small_export_is_built_in_the_request(tree, rooms, staff_client):
    response = staff_client.get("/console/dwellings/", {"courtyard": tree.entrance3.parent.courtyard_id,
                                                        "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = _sheet(response.content)
    assert rows[0][:3] == ("Dwelling", "Courtyard", "Unit")
    numbers = [r[0] for r in rows[1:] if r[0].startswith(f"{tree.entrance3.parent.name}{tree.entrance3.name}")]
    assert numbers[:4] == [f"{tree.entrance3.parent.name}{tree.entrance3.name}{n}" for n in ("1", "2", "3", "9")]
    assert not ExportJob.objects.exists()


def test_large_export_runs_as_a_job_for_the_requester_only(tree, rooms, staff_client, make_user, login,
                                                           monkeypatch):
    monkeypatch.setattr(export_module, "EXPORT_SYNC_LIMIT", 3)
    response = staff_client.get("/console/dwellings/", {"export": "xlsx", "occupancy": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response["Location"] == f"/console/exports/{job.pk}/"
    assert job.status == ExportJob.Status.DONE  # the test task backend runs it at once
    visible = Dwelling.objects.visible_to(job.requested_by).count()
    assert job.rows_total == visible == job.rows_done
    page = staff_client.get(response["Location"])
    assert page.status_code == 200 and f"/console/exports/{job.pk}/download/" in page.content.decode()
    download = staff_client.get(f"/console/exports/{job.pk}/download/")
    assert download.status_code == 200 and len(_sheet(download.content)) == visible + 1
    assert AuditEvent.objects.filter(action="core.export_started", object_id=str(job.pk)).exists()
    other = login(make_user("community_staff", tree.community_a))
    assert other.get(f"/console/exports/{job.pk}/").status_code == 404
    assert other.get(f"/console/exports/{job.pk}/download/").status_code == 404


def test_export_job_only_holds_what_the_requester_may_see(tree, rooms, make_user, login, monkeypatch):
    monkeypatch.setattr(export_module, "EXPORT_SYNC_LIMIT", 1)
    worker = make_user("grid_worker", tree.grid2)
    c = login(worker)
    assert c.get("/console/dwellings/", {"export": "xlsx"}).status_code == 302
    job = ExportJob.objects.get(requested_by=worker)
    rows = _sheet(bytes(job.content))[1:]
    assert len(rows) == Dwelling.objects.visible_to(worker).count() < Dwelling.objects.count()


def test_export_status_polls_while_running(tree, staff_client):
    user = staff_client.get("/console/").wsgi_request.user
    job = ExportJob.objects.create(requested_by=user, list_path="courtyard.org.lists.DwellingList", title="T",
                                   filename="t.xlsx", status=ExportJob.Status.RUNNING, rows_done=500, rows_total=2000)
    html = staff_client.get(f"/console/exports/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'value="25"' in html
    assert staff_client.get(f"/console/exports/{job.pk}/download/").status_code == 404  # not ready
    partial = staff_client.get(f"/console/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<div id=\"export-status\"")


# ---------------------------------------------------------------- forms
class PairForm(forms.Form):
    start = forms.IntegerField()
    end = forms.IntegerField()


def test_errors_land_on_the_field_they_concern():
    form = PairForm({"start": 1, "end": 2})
    assert form.is_valid()
    apply_errors(form, ValidationError("Ends too early.", code="end"))
    apply_errors(form, ValidationError("Starts badly.", params={"field": "start"}))
    apply_errors(form, ValidationError("Mapped.", code="vote_closes_after_opening"), {"vote_closes_after_opening": "end"})
    apply_errors(form, ValidationError({"start": ["From a dict."], "unknown": ["Nowhere to go."]}))
    apply_errors(form, ValidationError("General.", code="other"))
    assert form.errors["end"] == ["Ends too early.", "Mapped."]
    assert form.errors["start"] == ["Starts badly.", "From a dict."]
    assert form.non_field_errors() == ["Nowhere to go.", "General."]


def test_save_rolls_back_and_reports(tree):
    form = PairForm({"start": 1, "end": 2})
    form.is_valid()

    def write():
        ExportJob.objects.create(requested_by=_any_user(), title="x", filename="x.xlsx", list_path="x")
        raise ValidationError("No.", code="start")

    saved = save(form, write)
    assert not saved and form.errors["start"] == ["No."]
    assert not ExportJob.objects.exists()
    ok = save(form, lambda: 42)
    assert ok and ok.result == 42


def _any_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(phone="13912345678", password="x")  # noqa: S106


def test_service_form_view_shows_field_errors_in_place(tree, make_user, login):
    c = login(make_user("community_staff", tree.community_a))
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/console/places/{tree.entrance1.pk}/dwellings/new/"
    existing = Dwelling.objects.filter(entrance=tree.entrance1).first()
    response = c.post(url, {"number": existing.number, "occupancy": "self", "property_type": "commercial_housing"})
    assert response.status_code == 400
    assert response.templates[0].name == "console/form.html"
    assert Dwelling.objects.filter(entrance=tree.entrance1, number=existing.number).count() == 1


def test_console_list_page_runs_six_queries_none_on_django_permission_tables(tree, staff_client):
    from django.core.cache import cache

    staff_client.get("/console/dwellings/")
    cache.clear()  # the table is kept (ADR 0035): measure it built afresh
    with CaptureQueriesContext(connection) as ctx:
        assert staff_client.get("/console/dwellings/").status_code == 200
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sqls if "auth_permission" in s]
    # session, user, role grants, the page with its capped count, courtyard and unit choices
    assert len(sqls) == 6, sqls
    with CaptureQueriesContext(connection) as again:
        assert staff_client.get("/console/dwellings/").status_code == 200
    assert len(again) == 3  # session, user, role grants: the table comes from the cache


def test_roles_list_keeps_its_default_filter_while_paging(tree, staff_client, make_user, monkeypatch):
    from courtyard.org import services as org_services
    from courtyard.org.lists import GrantList

    monkeypatch.setattr(GrantList, "per_page", 2)
    for place in (tree.building1, tree.building2, tree.building3):
        make_user("building_head", place)
    ended = org_services.grant_role(by=SYSTEM, user=_any_user(), role="building_head", place=tree.building1)
    today = timezone.localdate()
    type(ended).objects.filter(pk=ended.pk).update(start_date=today - dt.timedelta(days=10),
                                                   end_date=today - dt.timedelta(days=1))
    first = staff_client.get("/console/roles/")
    assert first.context["filter"].form.cleaned_data["current"] is True
    seen, page = [], first.context["page"]
    seen += page.rows
    while page.has_next:
        page = staff_client.get("/console/roles/", {"after": page.next_cursor}).context["page"]
        seen += page.rows
    assert ended.pk not in {g.pk for g in seen} and len(seen) > 2
    everything = staff_client.get("/console/roles/", {"current": ""}).context["page"]
    assert everything.count == len(seen) + 1


def test_a_page_loops_like_a_paginator_page(rooms):
    page = paginate(rooms, ROOM_ORDER, per_page=4)
    assert list(page) == page.rows and len(page) == 4
