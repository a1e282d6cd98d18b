"""The Simplified Chinese catalogue is complete, well-formed and compiled.

The .po file is read with a small parser (no polib dependency); the committed
.mo is loaded with Python's own gettext module and must give, for every entry,
exactly the msgstr of the .po — so a .po edited without recompiling fails here.
"""

import ast
import gettext as pygettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
PO_PATH = LC_MESSAGES / "django.po"
MO_PATH = LC_MESSAGES / "django.mo"

# Named placeholders such as %(name)s / %(n)d, and bare positional ones (%s, %d).
NAMED = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[sdifr]")
POSITIONAL = re.compile(r"%(?!\()[#0\- +]*\d*(?:\.\d+)?[sdifr]")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[k] for k in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid[:60]!r}"


def _unquote(text: str, path: Path, lineno: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise AssertionError(f"{path}:{lineno}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file; the header (msgid "") is the first entry. Obsolete (#~) entries are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    target: tuple[str, int | None] | None = None  # which field continuation lines extend

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise AssertionError(f"{path}:{lineno}: continuation line outside an entry")
            name, index = target
            value = _unquote(line, path, lineno)
            if index is None:
                setattr(current, name, getattr(current, name) + value)
            else:
                current.msgstr_plural[index] += value
            continue
        if keyword == "msgctxt" or (keyword == "msgid" and target != ("msgctxt", None)):
            # A new entry starts (entries are normally separated by blank lines, but be lenient).
            finish()
            current = Entry(line=lineno, flags=pending_flags)
            pending_flags = set()
        if current is None:
            raise AssertionError(f"{path}:{lineno}: {keyword} outside an entry")
        if keyword == "msgctxt":
            current.msgctxt = _unquote(rest, path, lineno)
            target = ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid = _unquote(rest, path, lineno)
            target = ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural = _unquote(rest, path, lineno)
            target = ("msgid_plural", None)
        elif keyword == "msgstr":
            current.msgstr = _unquote(rest, path, lineno)
            target = ("msgstr", None)
        elif m := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            index = int(m.group(1))
            current.msgstr_plural[index] = _unquote(rest, path, lineno)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{lineno}: unexpected line {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing: run makemessages -l zh_Hans"
    entries = parse_po(PO_PATH)
    assert entries and entries[0].msgid == "", "the .po has no header entry"
    return entries


@pytest.fixture(scope="module")
def header(po_entries) -> dict[str, str]:
    fields = {}
    for line in po_entries[0].msgstr.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return po_entries[1:]


def test_parser_reads_multiline_and_plural_entries(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#: a.py:1\n#, python-format\nmsgid ""\n"Hello, "\n"%(name)s"\nmsgstr "%(name)s，\\"您好\\""\n\n'
        'msgctxt "menu"\nmsgid "Open"\nmsgstr "打开"\n\n'
        'msgid "%(n)s row"\nmsgid_plural "%(n)s rows"\nmsgstr[0] ""\n"共 %(n)s 行"\n\n'
        '#~ msgid "Old"\n#~ msgstr "旧"\n',
        encoding="utf-8",
    )
    header_entry, hello, menu, rows = parse_po(po)
    assert header_entry.msgstr == "Plural-Forms: nplurals=1; plural=0;\n"
    assert (hello.msgid, hello.msgstr, hello.flags) == ("Hello, %(name)s", '%(name)s，"您好"', {"python-format"})
    assert (menu.msgctxt, menu.msgid, menu.msgstr) == ("menu", "Open", "打开")
    assert (rows.msgid_plural, rows.msgstr_plural) == ("%(n)s rows", {0: "共 %(n)s 行"})


def test_header_declares_chinese_and_one_plural_form(po_entries, header):
    assert "fuzzy" not in po_entries[0].flags, "remove the #, fuzzy flag from the .po header"
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert header.get("Language") == "zh_Hans"


def test_every_entry_is_translated(messages):
    assert messages, "the catalogue is empty"
    untranslated = [e.label for e in messages if not all(t.strip() for t in e.translations)]
    assert not untranslated, f"{len(untranslated)} untranslated entries:\n" + "\n".join(untranslated)


def test_plural_entries_have_exactly_one_form(messages):
    wrong = [e.label for e in messages if e.msgid_plural is not None and sorted(e.msgstr_plural) != [0]]
    assert not wrong, "Chinese has one plural form; give msgstr[0] only:\n" + "\n".join(wrong)


def test_no_fuzzy_entries(messages):
    fuzzy = [e.label for e in messages if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries (check the translation, then drop the flag):\n" + "\n".join(fuzzy)


def test_placeholders_are_kept(messages):
    problems = []
    for e in messages:
        wanted = set(NAMED.findall(e.msgid)) | set(NAMED.findall(e.msgid_plural or ""))
        positional = len(POSITIONAL.findall(e.msgid))
        for text in e.translations:
            got = set(NAMED.findall(text))
            if wanted - got:
                problems.append(f"{e.label} lacks %({', '.join(sorted(wanted - got))})s")
            if got - wanted:
                problems.append(f"{e.label} has unknown %({', '.join(sorted(got - wanted))})s")
            if "python-format" in e.flags and len(POSITIONAL.findall(text)) != positional:
                problems.append(f"{e.label} has a different number of positional placeholders")
    assert not problems, "\n".join(problems)


def test_html_tags_are_kept(messages):
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    problems = [e.label for e in messages for text in e.translations
                if sorted(tag.findall(e.msgid)) != sorted(tag.findall(text))]
    assert not problems, "HTML tags differ between msgid and msgstr:\n" + "\n".join(problems)


def _catalogue_matches(mo_file: Path, messages: list[Entry]) -> list[str]:
    with mo_file.open("rb") as fh:
        catalogue = pygettext.GNUTranslations(fh)
    stale = []
    for e in messages:
        if e.msgid_plural is not None:
            if e.msgctxt is not None:
                got = catalogue.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
            else:
                got = catalogue.ngettext(e.msgid, e.msgid_plural, 1)
            want = e.msgstr_plural.get(0, "")
        else:
            got = catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else catalogue.gettext(e.msgid)
            want = e.msgstr
        if got != want:
            stale.append(f"{e.label}: .mo gives {got[:40]!r}, .po says {want[:40]!r}")
    return stale


def test_committed_mo_matches_po(messages):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages -l zh_Hans and commit the .mo"
    stale = _catalogue_matches(MO_PATH, messages)
    assert not stale, (
        f"{len(stale)} entries of django.mo differ from django.po — run "
        "`manage.py compilemessages -l zh_Hans` and commit the .mo:\n" + "\n".join(stale[:30])
    )


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_po_compiles_cleanly_with_msgfmt(messages, tmp_path):
    out = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(out), str(PO_PATH)], capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not _catalogue_matches(out, messages)


@pytest.mark.parametrize("msgid", ["Log in", "Deliberate together, manage together, share the results"])
def test_django_uses_the_project_catalogue(messages, msgid):
    expected = next(e.msgstr for e in messages if e.msgid == msgid and e.msgctxt is None)
    assert re.search(r"[\u4e00-\u9fff]", expected), f"{msgid!r} is not translated into Chinese"
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == expected
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_plural_lookup_in_chinese(messages):
    entry = next(e for e in messages if e.msgid_plural is not None)
    with translation.override("zh-hans"):
        for n in (1, 2, 5):
            assert translation.ngettext(entry.msgid, entry.msgid_plural, n) == entry.msgstr_plural[0]


def test_default_language_is_simplified_chinese():
    from config.settings import base  # test settings switch to English for readable assertions

    assert base.LANGUAGE_CODE == "zh-hans"
    assert Path(settings.BASE_DIR) / "locale" in [Path(p) for p in settings.LOCALE_PATHS]


def test_chinese_pages_group_large_numbers_by_thousands():
    """Counts read like the money beside them ("7,053", not "7053"); ids and inputs stay ungrouped."""
    from django.template import engines

    template = engines["django"].from_string(
        "{% load humanize i18n %}{% blocktranslate count n=c with rows=c|intcomma %}{{ rows }} row"
        "{% plural %}{{ rows }} rows{% endblocktranslate %}|{{ c }}")
    with translation.override("zh-hans"):
        assert template.render({"c": 7053}) == "共 7,053 行|7053"
    with translation.override("en"):
        assert template.render({"c": 1}) == "1 row|1"
