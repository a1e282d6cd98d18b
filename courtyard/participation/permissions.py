"""Participation permissions, merged into the access kernel's role registry (courtyard.core.access).

Residents need no grant: they earn, redeem, check in and swap as themselves (their own person
record). Staff and the committee publish the rules, stock the shop, keep the rotas and confirm the
acts a resident cannot confirm alone (volunteer hours)."""

VIEW = "participation.view"  # see rules, accounts, ledger, shop, rotas in scope
MANAGE_POINTS = "participation.manage_points"  # rules, shop items, hand-overs, corrections
MANAGE_ROTAS = "participation.manage_rotas"  # rotas, shifts, QR posters
CONFIRM_HOURS = "participation.confirm_hours"  # confirm volunteer hours as the organiser
MANAGE_EVENTS = "participation.manage_events"  # events, sign-ups on residents' behalf, attendance
RECORD_RESOURCES = "participation.record_resources"  # partner contributions and their valuation
MANAGE_TEAMS = "participation.manage_teams"  # incubate teams, the talent pool, training records
MANAGE_HONOURS = "participation.manage_honours"  # honour rounds: nominations, review or vote, consent on paper

PERMS = (VIEW, MANAGE_POINTS, MANAGE_ROTAS, CONFIRM_HOURS, MANAGE_EVENTS, RECORD_RESOURCES, MANAGE_TEAMS, MANAGE_HONOURS)

_ALL = set(PERMS)
_UNIT = _ALL - {RECORD_RESOURCES}  # partner units belong to the community, not to one unit
GRANTS = {
    "platform_admin": _ALL,
    "party_secretary": _ALL,
    "community_staff": _ALL,
    "committee_member": _UNIT,
    "subdistrict_officer": {VIEW},
    "supervisory_member": {VIEW},
    "evaluator": {VIEW},
    "grid_worker": {VIEW, CONFIRM_HOURS},
    "building_head": {VIEW, MANAGE_ROTAS},
    "social_worker": {VIEW, CONFIRM_HOURS, MANAGE_EVENTS, MANAGE_TEAMS, MANAGE_HONOURS},
}
