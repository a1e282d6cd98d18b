"""Every module of the project imports: a module loaded only by name at run time (worklist.py,
audit_labels.py, file_access.py, permissions.py …) must not wait for a page view to fail."""

import importlib
import pkgutil

import pytest

import courtyard

MODULES = sorted(m.name for m in pkgutil.walk_packages(courtyard.__path__, "courtyard.")
                 if ".migrations" not in m.name and ".tests" not in m.name)


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name):
    importlib.import_module(name)


def test_modules_were_found():
    assert "courtyard.core.access" in MODULES and "courtyard.org.worklist" in MODULES
