from django.urls import path

from . import views

app_name = "funds"
urlpatterns = [
    path("console/funds/", views.accounts, name="accounts"),
    path("console/funds/accounts/<id:pk>/", views.account_detail, name="account"),
    path("console/funds/accounts/<id:pk>/levy/", views.levy_create, name="levy_create"),
    path("console/funds/accounts/<id:pk>/statement/", views.statement_generate, name="statement_generate"),
    path("console/funds/statements/<id:pk>/review/", views.statement_review, name="statement_review"),
    path("console/funds/entries/<id:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("console/funds/levies/<id:pk>/", views.levy_detail, name="levy"),
    path("console/funds/requests/", views.requests_list, name="requests"),
    path("console/funds/requests/<id:pk>/", views.request_detail, name="request"),
    path("console/funds/budget/", views.budget, name="budget"),
    path("console/funds/audit-export.xlsx", views.audit_export, name="audit_export"),
    path("console/funds/grants/", views.calls, name="calls"),
    path("console/funds/grants/<id:pk>/", views.call_detail, name="call"),
    path("console/funds/grants/proposals/<id:pk>/", views.proposal_detail, name="proposal"),
    path("console/funds/accounts/<id:pk>/fee-plan/", views.fee_plan_create, name="fee_plan_create"),
    path("funds/ledger/", views.my_ledger, name="my_ledger"),
    path("funds/levy/", views.my_levy, name="my_levy"),
    path("funds/grants/", views.resident_grants, name="resident_grants"),
    path("funds/grants/<id:pk>/propose/", views.resident_propose, name="resident_propose"),
    path("funds/grants/proposals/<id:pk>/", views.resident_proposal, name="resident_proposal"),
    path("u/<slug:slug>/ledger/", views.public_ledger, name="public_ledger"),
    path("u/<slug:slug>/ledger/export.xlsx", views.public_export, name="public_export"),
    path("u/<slug:slug>/ledger/statement/<id:year>-<id:month>.pdf", views.public_statement_pdf,
         name="public_statement"),
    path("u/<slug:slug>/ledger/files/<id:pk>/", views.public_file, name="public_file"),
]
