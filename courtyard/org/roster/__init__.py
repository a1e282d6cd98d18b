"""Roster import (ORG-7): households and people from an Excel workbook.

Three steps, and nothing reaches the registry before the last one:

1. `read_roster` checks the file (size, real .xlsx by content, columns, row limit) and turns the
   first sheet into raw rows (pure apart from reading the bytes).
2. `clean_rows` checks every cell (pure), `check_file` finds duplicates and contradictions inside
   the file (pure), and `plan_import` matches the rows against the registry and the importer's
   scope (reads only). The result is a `Plan` with counts and row errors.
3. `commit_import` re-reads the staged file, re-checks everything and writes the plan through the
   org services in one transaction, so each change leaves its own audit event (channel "import")
   and one summary event is recorded for the import.

Re-importing updates and never duplicates: a dwelling is matched by (entrance, room); a person by
mobile number, else ID number, else by name within the same dwelling; a current link with the same
relation is kept. Blank cells never erase what the registry already holds.

The header texts are a file format (bilingual on purpose, the same in every UI language), so they
are constants rather than translated strings; the messages about them are translated.
"""

from .columns import (
    CHOICE_COLUMNS,
    COLUMN_BY_KEY,
    COLUMNS,
    DWELLING_KEYS,
    EXAMPLE_ROW,
    PERSON_KEYS,
    TAG_SEPARATORS,
    TEXT_COLUMNS,
    ZH_LABELS,
    Column,
    english_label,
    norm,
    parse_choice,
    zh_label,
)
from .matching import (
    BUILDING_SUFFIXES,
    ENTRANCE_SUFFIXES,
    DwellingPlan,
    PersonPlan,
    Plan,
    check_roster,
    importable_communities,
    plan_import,
)
from .parsing import (
    MAX_UNZIPPED_RATIO,
    RawRow,
    RosterFileError,
    RowError,
    read_roster,
    read_upload_bytes,
)
from .staging import (
    CommitRefused,
    apply_plan,
    commit_import,
    stage_import,
)
from .template import (
    template_bytes,
)
from .validation import (
    DWELLING_FIELDS,
    PERSON_FIELDS,
    CleanRow,
    check_file,
    clean_row,
)

__all__ = [
    "BUILDING_SUFFIXES",
    "CHOICE_COLUMNS",
    "COLUMNS",
    "COLUMN_BY_KEY",
    "CleanRow",
    "Column",
    "CommitRefused",
    "DWELLING_FIELDS",
    "DWELLING_KEYS",
    "DwellingPlan",
    "ENTRANCE_SUFFIXES",
    "EXAMPLE_ROW",
    "MAX_UNZIPPED_RATIO",
    "PERSON_FIELDS",
    "PERSON_KEYS",
    "PersonPlan",
    "Plan",
    "RawRow",
    "RosterFileError",
    "RowError",
    "TAG_SEPARATORS",
    "TEXT_COLUMNS",
    "ZH_LABELS",
    "apply_plan",
    "check_file",
    "check_roster",
    "clean_row",
    "commit_import",
    "english_label",
    "importable_communities",
    "norm",
    "parse_choice",
    "plan_import",
    "read_roster",
    "read_upload_bytes",
    "stage_import",
    "template_bytes",
    "zh_label",
]
