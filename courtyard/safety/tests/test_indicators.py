"""The mediation success rate as the insight engine reads it (hand-computed case)."""

import datetime as dt

from django.utils import timezone

from courtyard.core.audit import Actor
from courtyard.core.indicators import Period, Scope
from courtyard.safety import services
from courtyard.safety.indicators import mediation_success_rate


def test_mediation_success_rate_counts_agreements_among_ended_cases(sf):
    by = Actor(user=sf.committee)
    opened = timezone.now() - dt.timedelta(days=3)
    cases = [services.open_case(by=by, place=sf.t.building1, title=f"纠纷{i}", parties="甲\n乙", opened_at=opened)
             for i in range(3)]
    services.close_case(by=by, case=cases[0], result="agreed", outcome="协议", published_outcome="达成协议")
    services.close_case(by=by, case=cases[1], result="failed", outcome="未达成", published_outcome="未达成协议")
    scope = Scope("community", sf.t.community_a.pk, "", sf.t.community_a.path)
    period = Period.containing(timezone.localdate())
    assert mediation_success_rate(scope, period) == (1, 2)  # the open case has not ended
    other = Scope("community", sf.t.community_b.pk, "", sf.t.community_b.path)
    assert mediation_success_rate(other, period) == (0, 0)
