"""Renovation project permissions, merged into the access kernel's role registry.

Community staff and the party committee run the library, surveys and campaigns; grid workers and
digital helpers collect consent and key in paper or interview answers; the expert panel (planner,
engineer, lawyer) disposes of residents' opinions; the leading group (party secretary, committee
members) approves the final plan. Residents need no role: they answer, consent and comment for
their own household through the resident pages (rules.py).
"""

VIEW = "projects.view_project"
MANAGE = "projects.manage"  # library, suggestions, surveys, campaigns, plan versions
COLLECT = "projects.collect"  # paper/interview entry and door-to-door consent on a resident's behalf
DISPOSE = "projects.dispose_opinion"  # the expert panel's disposition of an opinion
APPROVE_PLAN = "projects.approve_plan"  # the leading group approves the final plan
INSPECT = "projects.inspect"  # record inspections, acceptance stages, snags, handover, facilities
SIGN = "projects.sign_inspection"  # a resident representative signs an inspection
ROLLOUT = "projects.manage_rollout"  # the subdistrict's rollout programme: phases, milestones, progress
APPROVE_EXTENSION = "projects.approve_extension"  # the subdistrict party working committee's approval

# Duties bound to an office (as funds sign-offs): the role must be held over the project *and* carry the
# permission. Staff carry SIGN only so that they can appoint representatives (a granter grants only
# permissions they hold); they are not named here, so they sign nothing.
SIGN_ROLES = ("representative", "committee_member")
STAGE_ROLES = {
    "self_check": ("contractor", "community_staff"),
    "supervisor": ("works_supervisor",),
    "joint_final": ("community_staff", "party_secretary"),
}

# Extension requests of the rollout programme are approved by this office, held over the subdistrict.
EXTENSION_ROLES = ("subdistrict_party_committee",)

PERMS = (VIEW, MANAGE, COLLECT, DISPOSE, APPROVE_PLAN, INSPECT, SIGN, ROLLOUT, APPROVE_EXTENSION)

GRANTS = {
    "platform_admin": {VIEW},
    "subdistrict_officer": {VIEW, ROLLOUT},
    "subdistrict_party_committee": {VIEW, ROLLOUT, APPROVE_EXTENSION},
    "party_secretary": {VIEW, MANAGE, COLLECT, APPROVE_PLAN, INSPECT, SIGN},
    "community_staff": {VIEW, MANAGE, COLLECT, INSPECT, SIGN},
    "grid_worker": {VIEW, COLLECT},
    "microgrid_worker": {VIEW, COLLECT},
    "digital_helper": {VIEW, COLLECT},
    "committee_member": {VIEW, COLLECT, APPROVE_PLAN, SIGN},
    "representative": {VIEW, SIGN},
    "works_supervisor": {VIEW, INSPECT},
    "contractor": {VIEW, INSPECT},
    "supervisory_member": {VIEW},
    "planner": {VIEW, DISPOSE},
    "engineer": {VIEW, DISPOSE},
    "lawyer": {VIEW, DISPOSE},
    "evaluator": {VIEW},
    "property_company": {VIEW},  # ORG-8: the works and the facility register of the courtyards it serves
}
