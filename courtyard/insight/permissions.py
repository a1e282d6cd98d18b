"""Insight's permissions, merged into the access kernel's role registry (courtyard.core.access)."""

VIEW = "insight.view_indicators"  # dashboards, indicator definitions, snapshots, cases in scope
HANDLE = "insight.handle_case"  # lead a yellow case's rectification: owner, actions, evidence, closure
SUPERVISE = "insight.supervise_case"  # supervise a red (listed) case: the subdistrict party committee
REPORTS = "insight.reports"  # generate and fetch the evaluator's reports

PERMS = (VIEW, HANDLE, SUPERVISE, REPORTS)

GRANTS = {
    "platform_admin": set(PERMS),
    "party_secretary": {VIEW, HANDLE, REPORTS},
    "community_staff": {VIEW, HANDLE, REPORTS},
    "subdistrict_officer": {VIEW, HANDLE, SUPERVISE, REPORTS},
    "evaluator": {VIEW, REPORTS},
    "grid_worker": {VIEW},
    "committee_member": {VIEW},
    "supervisory_member": {VIEW},
}
