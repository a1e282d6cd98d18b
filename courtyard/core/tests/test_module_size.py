"""No Python module under courtyard/ grows past 600 lines (migrations excluded).

ARCHITECTURE.md: a module that grows becomes a package split by subject (like Zulip's
zerver/actions/) before it passes ~600 lines. This test names every offender, so the split
happens in the change that makes a module too long, not later.
"""

from pathlib import Path

from django.conf import settings

MAX_LINES = 600
ROOT = Path(settings.BASE_DIR) / "courtyard"


def line_count(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


def oversized(root: Path, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    out = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        lines = line_count(path)
        if lines > limit:
            out.append((path.relative_to(root.parent).as_posix(), lines))
    return out


def test_no_module_over_600_lines():
    offenders = oversized(ROOT)
    listing = "\n".join(f"  {path}: {lines}" for path, lines in offenders)
    assert not offenders, f"Modules over {MAX_LINES} lines (split them by subject into a package):\n{listing}"


def test_the_check_finds_a_long_module_and_skips_migrations(tmp_path):
    app = tmp_path / "courtyard" / "app"
    (app / "migrations").mkdir(parents=True)
    (app / "short.py").write_text("x = 1\n" * MAX_LINES)
    (app / "long.py").write_text("x = 1\n" * (MAX_LINES + 1))
    (app / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    assert oversized(tmp_path / "courtyard") == [("courtyard/app/long.py", MAX_LINES + 1)]
