from django.urls import path

from . import views, views_forms

app_name = "deliberation"
urlpatterns = [
    # residents
    path("topics/", views.topics, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<id:pk>/", views.topic_detail, name="topic"),
    path("votes/", views.votes, name="votes"),
    path("votes/<id:pk>/", views.vote_detail, name="vote"),
    path("votes/<id:pk>/result/", views.vote_result, name="vote_result"),
    path("votes/<id:pk>/participants/", views.vote_participants, name="vote_participants"),
    path("notices/<id:pk>/object/", views.notice_object, name="notice_object"),
    path("m/<str:token>/", views.meeting_signin, name="meeting_signin"),
    path("documents/", views_forms.resident_documents, name="documents"),
    path("documents/<id:pk>/", views_forms.resident_document, name="document"),
    # public
    path("u/<slug:slug>/notices/<id:pk>/", views.public_notice, name="public_notice"),
    path("u/<slug:slug>/notices/<id:pk>/pdf/", views.public_notice_pdf, name="public_notice_pdf"),
    # console
    path("console/deliberation/", views.console_topics, name="console_topics"),
    path("console/deliberation/topics/new/", views.console_topic_new, name="console_topic_new"),
    path("console/deliberation/topics/<id:pk>/", views.console_topic, name="console_topic"),
    path("console/deliberation/votes/", views.console_votes, name="console_votes"),
    path("console/deliberation/votes/new/", views.console_vote_new, name="console_vote_new"),
    path("console/deliberation/votes/export.json", views.console_votes_export, name="console_votes_export"),
    path("console/deliberation/votes/<id:pk>/", views.console_vote, name="console_vote"),
    path("console/deliberation/votes/<id:pk>/edit/", views.console_vote_edit, name="console_vote_edit"),
    path("console/deliberation/votes/<id:pk>/tally.json", views.console_vote_export, name="console_vote_export"),
    path("console/deliberation/notices/", views.console_notices, name="console_notices"),
    path("console/deliberation/notices/new/", views_forms.notice_new, name="notice_new"),
    path("console/deliberation/meetings/", views.console_meetings, name="console_meetings"),
    path("console/deliberation/meetings/new/", views_forms.meeting_new, name="meeting_new"),
    path("console/deliberation/meetings/<id:pk>/", views.console_meeting, name="console_meeting"),
    path("console/deliberation/meetings/<id:pk>/desk/", views_forms.meeting_desk, name="meeting_desk"),
    path("console/deliberation/meetings/<id:pk>/signin.pdf", views_forms.meeting_sheet, name="meeting_sheet"),
    path("console/deliberation/meetings/<id:pk>/minutes/", views_forms.meeting_minutes, name="meeting_minutes"),
    path("console/deliberation/documents/", views.console_documents, name="console_documents"),
    path("console/deliberation/documents/new/", views_forms.document_new, name="document_new"),
    path("console/deliberation/documents/<id:pk>/", views_forms.document_detail, name="console_document"),
    path("console/deliberation/documents/<id:pk>/versions/new/", views_forms.version_new, name="version_new"),
    path("console/deliberation/documents/<id:pk>/diff/", views.document_diff, name="document_diff"),
    path("console/deliberation/versions/<id:pk>/comments/", views_forms.version_comments, name="version_comments"),
    path("console/deliberation/versions/<id:pk>/consolidate/", views_forms.version_consolidate,
         name="version_consolidate"),
    path("console/deliberation/versions/<id:pk>/vote/", views_forms.version_vote, name="version_vote"),
    path("console/deliberation/representatives/", views.representatives, name="representatives"),
    path("console/deliberation/representatives/<id:unit_pk>/quotas/", views_forms.quotas, name="quotas"),
]
