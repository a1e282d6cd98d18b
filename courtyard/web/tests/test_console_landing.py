"""Staff start their day in the console; the console menu marks exactly one section."""

from __future__ import annotations

import pytest

from courtyard.org.tests.factories import PASSWORD
from courtyard.web.context_processors import active_url


@pytest.mark.django_db
def test_staff_without_a_home_land_on_the_console(client, tree, make_user):
    worker = make_user("grid_worker", tree.grid1)
    response = client.post("/accounts/login/", {"phone": worker.phone, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/console/"
    # Typing the site's address later goes to the console too, never to "not linked to a home yet".
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/console/"
    page = client.get("/console/").content.decode()
    assert "Resident view" not in page and "居民视图" not in page


@pytest.mark.django_db
def test_staff_with_a_home_land_at_home_and_can_switch(client, tree, make_user):
    worker = make_user("grid_worker", tree.grid1, person=tree.person1)
    response = client.post("/accounts/login/", {"phone": worker.phone, "password": PASSWORD})
    assert response.url == "/"
    home = client.get("/")
    assert home.status_code == 200 and 'href="/console/"' in home.content.decode()
    console = client.get("/console/").content.decode()
    assert 'href="/"' in console  # the resident view switch


@pytest.mark.django_db
def test_residents_land_at_home(client, tree, make_user):
    resident = make_user(person=tree.person1)
    response = client.post("/accounts/login/", {"phone": resident.phone, "password": PASSWORD})
    assert response.url == "/" and client.get("/").status_code == 200
    # Someone with neither a home nor a console role still gets the (explanatory) resident home.
    client.logout()
    nobody = make_user()
    client.post("/accounts/login/", {"phone": nobody.phone, "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_active_url_is_the_longest_matching_menu_entry():
    urls = ["/console/", "/console/requests/", "/console/requests/map/", "/console/requests/stats/"]
    assert active_url("/console/", urls) == "/console/"
    assert active_url("/console/requests/", urls) == "/console/requests/"
    assert active_url("/console/requests/map/", urls) == "/console/requests/map/"
    assert active_url("/console/requests/17/", urls) == "/console/requests/"
    assert active_url("/console/people/3/", urls) == "/console/"
    assert active_url("/votes/", urls) is None


@pytest.mark.django_db
def test_the_console_menu_highlights_exactly_one_item(tree, make_user, login):
    boss = make_user("community_staff", tree.community_a)
    c = login(boss)
    for path in ("/console/", "/console/requests/", "/console/requests/map/", "/console/requests/stats/"):
        page = c.get(path)
        assert page.status_code == 200, path
        html = page.content.decode()
        sidebar = html[html.index('staff-nav'):html.index('<main')]
        assert sidebar.count('aria-current="page"') == 1 and sidebar.count(" active") == 1, path


@pytest.mark.django_db
def test_menu_sections_fold_to_the_page_s_own_section(tree, make_user, login):
    staff = make_user("community_staff", tree.community_a)
    c = login(staff)
    home = c.get("/console/").context["console_nav"]
    assert len(home) > 3 and all(s["open"] for s in home)  # the work list: nothing active, all open
    page = c.get("/console/requests/").context["console_nav"]
    opened = [s for s in page if s["open"]]
    assert len(opened) == 1 and any(i["active"] and i["url"] == "/console/requests/" for i in opened[0]["items"])
    html = c.get("/console/requests/").content.decode()
    assert html.count("<details class=\"staff-nav__section\" open>") == 1
