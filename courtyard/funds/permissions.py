"""Funds permissions, merged into the roles registry (courtyard/org/roles.py).

Who may *sign* which step is decided by role (see `rules.STEP_ROLES`), not by these codes:
a permission only opens the page; the step checks that the signer holds the named role in scope.
"""

VIEW_LEDGER = "funds.view_ledger"
MANAGE_ACCOUNTS = "funds.manage_accounts"
RECORD_INCOME = "funds.record_income"
REQUEST_PAYMENT = "funds.request_payment"
SIGN = "funds.sign"
PAY = "funds.pay"
AUDIT_EXPORT = "funds.audit_export"
MANAGE_GRANTS = "funds.manage_grants"
REVIEW_STATEMENTS = "funds.review_statements"

PERMS = (VIEW_LEDGER, MANAGE_ACCOUNTS, RECORD_INCOME, REQUEST_PAYMENT, SIGN, PAY, AUDIT_EXPORT, MANAGE_GRANTS,
         REVIEW_STATEMENTS)

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
}
