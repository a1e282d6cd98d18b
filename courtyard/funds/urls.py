from django.urls import path

from .lists import EntryList
from .views import fees, grants, ledger, payments, public, residents, statements, trust

app_name = "funds"
urlpatterns = [
    path("console/funds/", ledger.accounts, name="accounts"),
    path("console/funds/trust/", trust.trust_accounts, name="trust_accounts"),
    path("console/funds/trust/<id:pk>/", trust.trust_account, name="trust_account"),
    path("console/funds/accounts/<id:pk>/", ledger.account_detail, name="account"),
    path("console/funds/accounts/<id:pk>/levy/", ledger.levy_create, name="levy_create"),
    path("console/funds/accounts/<id:pk>/trustee/", ledger.account_trustee, name="account_trustee"),
    path("console/funds/accounts/<id:pk>/statement/", statements.statement_generate, name="statement_generate"),
    path("console/funds/statements/<id:pk>/review/", statements.statement_review, name="statement_review"),
    path("console/funds/entries/", EntryList.as_view(), name="entries"),
    path("console/funds/entries/<id:pk>/reverse/", ledger.entry_reverse, name="entry_reverse"),
    path("console/funds/levies/<id:pk>/", ledger.levy_detail, name="levy"),
    path("console/funds/requests/", payments.requests_list, name="requests"),
    path("console/funds/requests/<id:pk>/", payments.request_detail, name="request"),
    path("console/funds/budget/", ledger.budget, name="budget"),
    path("console/funds/audit-export.xlsx", ledger.audit_export, name="audit_export"),
    path("console/funds/grants/", grants.calls, name="calls"),
    path("console/funds/grants/<id:pk>/", grants.call_detail, name="call"),
    path("console/funds/grants/proposals/<id:pk>/", grants.proposal_detail, name="proposal"),
    path("console/funds/accounts/<id:pk>/fee-plan/", ledger.fee_plan_create, name="fee_plan_create"),
    path("console/funds/fees/", fees.fee_list, name="fees"),
    path("console/funds/fees/<id:pk>/", fees.fee_detail, name="fee"),
    path("console/funds/accounts/<id:pk>/fees/new/", fees.fee_new, name="fee_new"),
    path("console/funds/bills/<id:pk>/payment/", fees.office_payment, name="office_payment"),
    path("funds/bills/", fees.my_bills, name="my_bills"),
    path("funds/bills/<id:pk>/pay/", fees.pay_bill, name="pay_bill"),
    path("funds/ledger/", residents.my_ledger, name="my_ledger"),
    path("funds/levy/", residents.my_levy, name="my_levy"),
    path("funds/grants/", grants.resident_grants, name="resident_grants"),
    path("funds/grants/<id:pk>/propose/", grants.resident_propose, name="resident_propose"),
    path("funds/grants/proposals/<id:pk>/", grants.resident_proposal, name="resident_proposal"),
    path("u/<slug:slug>/ledger/", public.public_ledger, name="public_ledger"),
    path("u/<slug:slug>/ledger/export.xlsx", public.public_export, name="public_export"),
    path("u/<slug:slug>/ledger/statement/<id:year>-<id:month>.pdf", public.public_statement_pdf,
         name="public_statement"),
    path("u/<slug:slug>/ledger/files/<id:pk>/", public.public_file, name="public_file"),
]
