"""Names typed inside a group's items (issue 13 §3): a participant who never
consented, or withdrew, "appears in no shared output after that date: no
name". Whatever the group, its items, whom they concern and who validated
them, when an item's text names a participant (whole name, first name, or
surname in capitals), no report for any N+1, in Markdown, HTML or JSON, holds
the name of someone who never consented or withdrew. The groups are
`test_group_confidentiality`'s, their texts then given a name, with the
validations that held for the text before holding for it after (as if the name
had been there when they validated), or by all who could while they agreed."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from aoi_tui.domain.models import Validation, Visibility, text_hash
from aoi_tui.exports import group_documents as docs
from aoi_tui.exports.group_markdown import group_report_markdown
from tests.test_group_confidentiality import SPONSORS, START, InMemory, at, groups, rendered


@st.composite
def groups_naming_people(draw: st.DrawFn) -> tuple[InMemory, list[dict[str, Any]]]:
    ef, items = draw(groups())
    people = ef.eng.participants
    unreported = [p for p in people if p.agreement.consent_date is None or p.withdrawn_on]
    for it in items:
        # most often someone the N+1 may not read of, where there is one
        pool = unreported if unreported and draw(st.integers(0, 3)) else people
        who = draw(st.one_of(st.none(), st.sampled_from(pool)))
        if who is None:
            continue
        first, last = who.name.split()
        said = draw(st.sampled_from((who.name, first, last.upper())))
        record = it["record"]
        old, new = record.text, f"{record.text} avec {said} ce matin"
        record.__dict__["text"] = new  # as typed: no edit of a validated text
        record.__dict__["validations"] = [
            v.model_copy(update={"text_sha256": text_hash(new)})
            if v.text_sha256 == text_hash(old)
            else v
            for v in record.validations
        ]
        it["text"] = new
        if draw(st.booleans()):  # shared, and validated by all it could be while they agreed
            record.__dict__["visibility"] = Visibility.SHAREABLE
            record.__dict__["validations"] = [
                Validation(at=at(_days(c)), text_sha256=text_hash(new), by=p.id)
                for p in ef.eng.participants
                if (c := p.agreement.consent_date) is not None
                and (p.withdrawn_on is None or c < p.withdrawn_on)
            ]
    return ef, items


def _days(day: date) -> int:
    return (day - START).days


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups_naming_people())
def test_no_n1_reads_the_name_of_someone_who_never_consented_or_withdrew(
    case: tuple[InMemory, list[dict[str, Any]]],
) -> None:
    ef, _ = case
    eng = ef.eng
    unreported = [p for p in eng.participants if p.agreement.consent_date is None or p.withdrawn_on]
    for n1 in SPONSORS:
        try:
            report = docs.build_group_report(ef, n1)  # type: ignore[arg-type]
        except docs.NoSuchRecipient:
            continue
        for out in rendered(group_report_markdown(report, "en"), report):
            folded = out.casefold()
            for p in unreported:
                for part in p.name.split():
                    assert part.casefold() not in folded, f"{p.name} named for {n1}"
