"""Shared by the generated-SDK suites (test_sdk_*.py): puts the summit SDK that
tests/sdk-python/run.sh generated (``CHARTER_PY_SDK``: the folder holding ``summit_sdk/``) on
``sys.path``; without it the suites are skipped."""

import os
import sys

import pytest

SDK = os.environ.get("CHARTER_PY_SDK", "")
if not SDK:
    pytest.skip(
        "CHARTER_PY_SDK is not set (tests/sdk-python/run.sh sets it)",
        allow_module_level=True,
    )
if SDK not in sys.path:
    sys.path.insert(0, SDK)
