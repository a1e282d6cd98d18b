"""Every write of the deliberation app: keyword-only, one transaction, one audit event each.

A package split by subject; this module re-exports the public names so callers keep writing
``from courtyard.deliberation import services; services.cast(...)``. To monkeypatch a name in a
test, patch it in the submodule that uses it (e.g. ``services.ballots._current_ballot``)."""

from .ballots import (
    cast,
    confirm_paper,
)
from .documents import (
    adopt_version,
    comment_section,
    consolidate,
    diff_versions,
    new_version,
    open_comments,
)
from .elections import (
    answer_nomination,
    candidates,
    confirm_list,
    create_election,
    decide_election,
    diversity,
    nominate,
    outcome_text,
    start_ballot,
)
from .meetings import (
    create_meeting,
    missed_cadences,
    record_minutes,
    sign_in,
    sign_in_desk,
)
from .moderation import (
    hide,
    merge_topics,
)
from .notices import (
    object_to_notice,
    publish_by_hand,
    publish_notice,
)
from .representatives import (
    confirm_panel,
    person_groups,
    quota_status,
    set_quota,
    set_quotas,
)
from .topics import (
    NEXT_STEPS,
    advance_topic,
    comment_topic,
    raise_topic,
)
from .votes import (
    ElectorRow,
    build_electorate,
    check_vote,
    close_refusal,
    close_vote,
    compute,
    counted_ballots,
    create_vote,
    electors_of,
    export_contract,
    open_vote,
    result_json,
    result_text,
    rule_spec,
    start_document_vote,
    vote_rule,
)

__all__ = [
    "answer_nomination",
    "candidates",
    "confirm_list",
    "create_election",
    "decide_election",
    "diversity",
    "nominate",
    "outcome_text",
    "start_ballot",
    "ElectorRow",
    "NEXT_STEPS",
    "adopt_version",
    "advance_topic",
    "build_electorate",
    "cast",
    "check_vote",
    "close_refusal",
    "close_vote",
    "comment_section",
    "comment_topic",
    "compute",
    "confirm_panel",
    "confirm_paper",
    "consolidate",
    "counted_ballots",
    "create_meeting",
    "create_vote",
    "diff_versions",
    "electors_of",
    "export_contract",
    "hide",
    "merge_topics",
    "missed_cadences",
    "new_version",
    "object_to_notice",
    "open_comments",
    "open_vote",
    "person_groups",
    "publish_by_hand",
    "publish_notice",
    "quota_status",
    "raise_topic",
    "record_minutes",
    "result_json",
    "result_text",
    "rule_spec",
    "set_quota",
    "set_quotas",
    "sign_in",
    "sign_in_desk",
    "start_document_vote",
    "vote_rule",
]
