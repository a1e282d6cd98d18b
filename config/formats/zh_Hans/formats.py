"""Django's zh_Hans formats, with numbers grouped by thousands ("7,053", as the money on every page is).

Django's locale writes large numbers without a separator; Chinese government and finance pages
(and our ledger amounts) group by three with commas. Only explicit grouping (`intcomma`) uses
this: USE_THOUSAND_SEPARATOR stays off, so ids in URLs and form inputs are never grouped.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
