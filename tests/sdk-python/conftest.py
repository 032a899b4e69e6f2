"""Shared by the Python SDK's tests: makes the runtime folder importable as the package
``_charter`` (as it is inside every generated SDK), so ``test_runtime_*.py`` test it without a
generated SDK. Defines no fixtures."""

import importlib.util
import sys
from pathlib import Path

_RUNTIME = Path(__file__).resolve().parents[2] / "codegen/src/sdk/python/runtime"

if "_charter" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "_charter", _RUNTIME / "__init__.py", submodule_search_locations=[str(_RUNTIME)]
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["_charter"] = _module
    _spec.loader.exec_module(_module)
