"""A page of a long list in two steps: first the ids on the page (a narrow query that the database
sorts and skips through quickly, however long the list is), then just those records with
everything the page shows. Used for the lists that grow with the city: cases, actions."""

from collections.abc import Callable, Sequence

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from ..extensions import db


class IdsFirst(Pagination):
    def _query_items(self) -> list:
        query, self._total = self._query_args["ids"], None
        if self._query_args["count_in_page"]:
            query = query.add_columns(func.count().over())
        rows = db.session.execute(query.limit(self.per_page).offset(self._query_offset)).all()
        if not rows:
            return []
        if self._query_args["count_in_page"]:
            self._total = rows[0][1]
        ids = [row[0] for row in rows]
        query = self._query_args["load"](ids)
        if self._query_args["rows"]:
            found = db.session.execute(query).all()
        else:
            found = db.session.scalars(query).unique()
        loaded = {item.id: item for item in found}
        return [loaded[i] for i in ids if i in loaded]

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        everything = self._query_args["ids"].order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(everything))


def paginate_ids(
    ids: Select,
    load: Callable[[Sequence[int]], Select],
    page: int,
    per_page: int,
    count_in_page: bool = False,
    rows: bool = False,
) -> Pagination:
    """ids: the ordered query of the list's ids; load(ids): the query of those records, in any
    order. The page is in the order of `ids`; a page past the end is empty. count_in_page: count
    the list in the same pass as the page (cheaper when deciding what is on the list is the costly
    part, such as who may see which case; dearer when an index gives the order). rows: load(ids)
    selects plain rows (with an `id` column) rather than objects."""
    return IdsFirst(
        page=page,
        per_page=per_page,
        error_out=False,
        ids=ids,
        load=load,
        count_in_page=count_in_page,
        rows=rows,
    )
