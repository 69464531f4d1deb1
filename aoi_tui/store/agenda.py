"""Planned sessions written to an engagement's file, for the CLI and the screens
alike: each change keeps `next_session` (what the documents call the next
session) on the nearest day still planned, and the index's line in step."""

from __future__ import annotations

from datetime import date

from aoi_tui.domain import clock
from aoi_tui.domain.planning import CancelledBy, PlannedSession, PlanningError, next_day
from aoi_tui.store.store import Store


def add_planned(store: Store, engagement_id: str, planned: PlannedSession) -> PlannedSession:
    from aoi_tui.config.i18n import t
    from aoi_tui.domain.vocabulary import Status

    ef = store.engagement(engagement_id)
    with ef.batch():
        if ef.engagement().status is Status.WITHDRAWN:
            raise PlanningError(t("plan.withdrawn"))
        ef.insert(planned)
        _mirror_next(store, engagement_id)
    store.refresh_summary(engagement_id)
    return planned


def find_planned(store: Store, engagement_id: str, prefix: str) -> PlannedSession:
    """The planned session whose id starts with `prefix` (one only); PlanningError, said."""
    from aoi_tui.config.i18n import t

    prefix = prefix.strip()
    found = [
        p for p in store.engagement(engagement_id).all(PlannedSession) if p.id.startswith(prefix)
    ]
    if len(found) != 1 or not prefix:
        raise PlanningError(t("plan.unknown", id=repr(prefix)[:20]))
    return found[0]


def mark_planned(
    store: Store,
    engagement_id: str,
    planned_id: str,
    *,
    by: CancelledBy | None = None,
    on: date | None = None,
) -> PlannedSession:
    """Cancelled `by` someone (on a day, default today), or a no-show (`by` None)."""
    ef = store.engagement(engagement_id)
    with ef.batch():
        planned = find_planned(store, engagement_id, planned_id)
        if by is None:
            planned.no_show()
        else:
            planned.cancel(by, on)
        ef.update(planned)
        _mirror_next(store, engagement_id)
    store.refresh_summary(engagement_id)
    return planned


def _mirror_next(store: Store, engagement_id: str) -> None:
    ef = store.engagement(engagement_id)
    engagement = ef.engagement()
    day = next_day(ef.all(PlannedSession), clock.today())
    if engagement.next_session != day:
        engagement.next_session = day
        ef.save_engagement(engagement)


__all__ = ["add_planned", "find_planned", "mark_planned"]
