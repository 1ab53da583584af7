"""The ``list_prices`` kind of the import contract: what a won purchase would have cost at list
price (``docs/import.md``); the value report shows the difference as savings."""

from __future__ import annotations

from accord.imports.contract import Field, Kind, Reference
from accord.imports.convert import Number, Text
from accord.reports.models import ListPrice


def list_price_kind(sqlite: bool) -> Kind:
    from accord.imports.contract import _length, _table

    lp = _table(ListPrice)
    return Kind(
        "list_prices",
        lp,
        (
            Field(
                "opportunity_id",
                "opportunity_id",
                Text(sqlite=sqlite, max_len=_length(lp, "opportunity_id")),
                not_empty=True,
            ),
            Field(
                "account_id",
                "account_id",
                Text(sqlite=sqlite, max_len=_length(lp, "account_id")),
                not_empty=True,
            ),
            Field("list_amount", "list_amount", Number(sqlite=sqlite, low=0), not_empty=True),
        ),
        key=("opportunity_id",),
        references=(
            Reference("account_id", "accounts", "account"),
            Reference("opportunity_id", "opportunities", "opportunity", same_account=True),
        ),
    )
