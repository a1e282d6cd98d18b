"""Permissions of the deliberation app, merged into the access kernel's role registry (courtyard.core.access)."""

VIEW_TOPIC = "deliberation.view_topic"
MANAGE_TOPIC = "deliberation.manage_topic"  # move steps, tier, merge, enter offline items
MODERATE = "deliberation.moderate"
VIEW_VOTE = "deliberation.view_vote"
MANAGE_VOTE = "deliberation.manage_vote"  # create, open, close
KEY_BALLOTS = "deliberation.key_ballots"  # paper ballots, confirmation, proxies
ASSIST_VOTE = "deliberation.assist_vote"
VIEW_NOTICE = "deliberation.view_notice"
PUBLISH = "deliberation.publish"
VIEW_MEETING = "deliberation.view_meeting"
MANAGE_MEETING = "deliberation.manage_meeting"

PERMS = (VIEW_TOPIC, MANAGE_TOPIC, MODERATE, VIEW_VOTE, MANAGE_VOTE, KEY_BALLOTS, ASSIST_VOTE, VIEW_NOTICE,
         PUBLISH, VIEW_MEETING, MANAGE_MEETING)

_ALL = set(PERMS)
_READ = {VIEW_TOPIC, VIEW_VOTE, VIEW_NOTICE, VIEW_MEETING}

GRANTS = {
    "platform_admin": _ALL,
    "party_secretary": _ALL,
    "community_staff": _ALL,
    "committee_member": _ALL,
    "grid_worker": _READ | {MANAGE_TOPIC, KEY_BALLOTS, ASSIST_VOTE},
    "microgrid_worker": _READ | {MANAGE_TOPIC, KEY_BALLOTS, ASSIST_VOTE},
    "grid_chief": _READ | {MANAGE_TOPIC, KEY_BALLOTS, ASSIST_VOTE},
    "grid_deputy": _READ | {MANAGE_TOPIC, KEY_BALLOTS, ASSIST_VOTE},
    "digital_helper": _READ | {ASSIST_VOTE},
    "supervisory_member": _READ,
    "subdistrict_officer": _READ,
    "evaluator": _READ,
    "lawyer": {VIEW_TOPIC, VIEW_VOTE, VIEW_NOTICE},
}
