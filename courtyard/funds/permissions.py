"""Funds permissions, merged into the access kernel's role registry (courtyard.core.access).

Signing a step and paying are duties of an office: the signer must hold, over the account, a
role named for the step (`STEP_ROLES`, `PAY_ROLES`) — and that role carries the step's own
permission (`SIGN_STEP`), so the grant rule (a granter grants only permissions they hold) keeps
anyone who cannot sign a step from creating someone who can.
"""

from .choices import Step

VIEW_LEDGER = "funds.view_ledger"
MANAGE_ACCOUNTS = "funds.manage_accounts"
RECORD_INCOME = "funds.record_income"
REQUEST_PAYMENT = "funds.request_payment"
SIGN = "funds.sign"
PAY = "funds.pay"
AUDIT_EXPORT = "funds.audit_export"
MANAGE_GRANTS = "funds.manage_grants"
REVIEW_STATEMENTS = "funds.review_statements"
VIEW_TRUST = "funds.view_trust"  # a trust institution: the accounts it holds in trust and their ledger (ORG-8)

# Which office signs which step (the first role the signer holds is recorded on the step).
STEP_ROLES = {
    Step.SUPERVISOR: ("works_supervisor",),
    Step.FINANCE: ("finance_officer",),
    Step.COMMITTEE: ("committee_member",),
    Step.PROPOSE: ("party_secretary", "party_member"),
    Step.DISCUSS: ("committee_member",),
    Step.REVIEW: ("representative",),
    Step.RESOLVE: ("committee_member", "community_staff"),
    Step.PUBLISH_DECISION: ("community_staff", "committee_member"),
    Step.PUBLISH_RESULT: ("community_staff", "committee_member"),
    Step.APPROVE: ("finance_officer", "committee_member"),
}
PAY_ROLES = ("finance_officer",)
SIGN_STEP = {str(step): f"funds.sign_{step}" for step in Step.values}

PERMS = (VIEW_LEDGER, MANAGE_ACCOUNTS, RECORD_INCOME, REQUEST_PAYMENT, SIGN, PAY, AUDIT_EXPORT, MANAGE_GRANTS,
         REVIEW_STATEMENTS, VIEW_TRUST, *SIGN_STEP.values())

_VIEW_SIGN = {VIEW_LEDGER, SIGN}
GRANTS = {
    "platform_admin": {VIEW_LEDGER, MANAGE_ACCOUNTS, AUDIT_EXPORT},
    "subdistrict_officer": {VIEW_LEDGER, AUDIT_EXPORT},
    "party_secretary": {VIEW_LEDGER, REQUEST_PAYMENT, SIGN, MANAGE_GRANTS},
    "community_staff": {VIEW_LEDGER, MANAGE_ACCOUNTS, RECORD_INCOME, REQUEST_PAYMENT, SIGN, MANAGE_GRANTS},
    "finance_officer": {VIEW_LEDGER, MANAGE_ACCOUNTS, RECORD_INCOME, REQUEST_PAYMENT, SIGN, PAY, AUDIT_EXPORT},
    "committee_member": {VIEW_LEDGER, REQUEST_PAYMENT, SIGN, MANAGE_GRANTS, REVIEW_STATEMENTS},
    "supervisory_member": {VIEW_LEDGER, AUDIT_EXPORT},
    "representative": _VIEW_SIGN,
    "works_supervisor": _VIEW_SIGN,
    "evaluator": {VIEW_LEDGER, AUDIT_EXPORT},
    "trust_institution": {VIEW_TRUST},
}


def _with_step_perms(grants: dict[str, set[str]]) -> dict[str, set[str]]:
    out = {code: set(perms) for code, perms in grants.items()}
    for step, roles in STEP_ROLES.items():
        for code in roles:
            out.setdefault(code, set()).add(SIGN_STEP[str(step)])
    return out


GRANTS = _with_step_perms(GRANTS)
