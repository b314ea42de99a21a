"""Field paths for QuerySet.only() and defer()."""


def under(relation: str, fields) -> list[str]:
    """`fields` of the model reached by `relation`: under("case__person", ("first_name",))
    is ["case__person__first_name"]."""
    return [f"{relation}__{field}" for field in fields]
