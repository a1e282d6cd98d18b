"""Safety permissions (平安与关爱), merged into the access kernel's role registry.

`CARE` is deliberately narrow: the care register holds sensitive personal data (PIPL art. 28),
so only the people who visit or supervise visits read it, and every read is audited."""

VIEW = "safety.view_safety"  # hazard register, patrol tasks and coverage, mediation cases, emergency plans
HANDLE = "safety.handle_hazard"  # grade, assign, rectify, re-inspect hazards; risk notices
PATROL = "safety.patrol"  # carry out patrol tasks (check in at points)
CONFIGURE = "safety.configure"  # check points, routes, patrol plans, emergency plans
CARE = "safety.view_care"  # read the special-group care register (sensitive; every view audited)
CARE_MANAGE = "safety.manage_care"  # enrol people in care, set colours, assign workers and claims
MEDIATE = "safety.mediate"  # open, hold sessions of and close mediation cases
EMERGENCY = "safety.respond"  # report and respond to incidents, record drills and reserve checks
STATS = "safety.view_stats"  # coverage, mediation rates, escalation accountability

PERMS = (VIEW, HANDLE, PATROL, CONFIGURE, CARE, CARE_MANAGE, MEDIATE, EMERGENCY, STATS)

_ALL = set(PERMS)
GRANTS = {
    "platform_admin": _ALL,
    "party_secretary": _ALL,
    "community_staff": _ALL,
    "subdistrict_officer": {VIEW, STATS},
    "department_officer": {VIEW, EMERGENCY},
    "grid_worker": {VIEW, HANDLE, PATROL, CARE, CARE_MANAGE, EMERGENCY, STATS},
    "microgrid_worker": {VIEW, HANDLE, PATROL, CARE, EMERGENCY},
    "building_head": {VIEW, PATROL},
    "social_worker": {VIEW, CARE, MEDIATE},
    "lawyer": {VIEW, MEDIATE},
    "committee_member": {VIEW, MEDIATE},
    "supervisory_member": {VIEW, STATS},
    "evaluator": {STATS},
}
