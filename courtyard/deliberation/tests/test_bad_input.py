"""Free text over its limit: a clear message, nothing stored. Proxy authorisations stay with the staff."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courtyard.core import file_access
from courtyard.core.audit import Actor
from courtyard.deliberation import services
from courtyard.deliberation.models import Topic, TopicComment

pytestmark = pytest.mark.django_db


def test_topic_body_and_title_over_the_limit_are_refused(world):
    by = Actor(user=world.owner_user)
    with pytest.raises(ValidationError) as info:
        services.raise_topic(by=by, unit=world.t.unit, title="加装电梯", body="多" * 10_001)
    assert "at most 10000" in info.value.messages[0]
    with pytest.raises(ValidationError):
        services.raise_topic(by=by, unit=world.t.unit, title="电" * 121, body="三楼以上老人多")
    assert not Topic.objects.exists()
    assert services.raise_topic(by=by, unit=world.t.unit, title="电" * 120, body="多" * 10_000).pk


def test_comment_over_the_limit_is_refused(world):
    topic = services.raise_topic(by=Actor(user=world.owner_user), unit=world.t.unit, title="停车难", body="a")
    Topic.objects.filter(pk=topic.pk).update(step="discussion")
    topic.refresh_from_db()
    with pytest.raises(ValidationError):
        services.comment_topic(by=Actor(user=world.owner_user), topic=topic, body="评" * 2001)
    assert not TopicComment.objects.exists()


def test_topic_photo_is_served_to_the_unit_and_not_outside(world, login, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="PNG")
    topic = services.raise_topic(by=Actor(user=world.owner_user), unit=world.t.unit, title="停车难", body="a",
                                 files=[SimpleUploadedFile("p.png", out.getvalue())])
    from courtyard.deliberation.selectors import attachments_of

    (att,) = attachments_of(topic)
    assert login(world.owner_user).get(att.url).status_code == 200
    outsider = make_user(person=world.t.person_b)  # another community
    assert login(outsider).get(att.url).status_code == 404
    assert not file_access.is_public(att)


def test_proxy_authorisation_is_for_ballot_staff_only(world, open_vote, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("auth.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    ballot = services.cast(by=Actor(user=world.staff), vote=open_vote, voter=world.buyer, choice="no",
                           channel="proxy", proxy_name="赵某某", proxy_file=pdf)
    url = ballot.proxy_document.url
    response = login(world.staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private")
    # Voters of the same vote, the voter it was cast for and a read-only helper never see it.
    for user in (world.owner_user, world.buyer_user, world.helper):
        assert login(user).get(url).status_code == 404
