"""Code written against a renamed operation's old name (``fetch``, now ``get_item``):
tests/sdk-python/run.sh type-checks it against the new SDK with ``--compat`` (it must pass)
and without (it must not)."""

from __future__ import annotations

from demo_sdk.demo import ShopClient


def uses_the_old_name(client: ShopClient) -> int:
    """Calls the operation by its old name."""
    return client.fetch(id=1).value.id
