"""Domain rules, without an app or a database."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from opkoers.domain import RuleViolation, follow_up, impact, meetings
from opkoers.domain import case_status as lc
from opkoers.domain.consent import EXPIRED, NOT_YET, VALID, WITHDRAWN, consent_state, one_year_after
from opkoers.domain.decision_tree import INCOMPLETE, MET, NOT_MET, evaluate
from opkoers.domain.selection import STEP_KINDS, next_selection_step

ALL_STEPS = frozenset(STEP_KINDS)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("referred", "intake"),
        ("intake", "admitted"),
        ("intake", "declined"),
        ("admitted", "in_progress"),
        ("in_progress", "aftercare"),
        ("in_progress", "closed"),
        ("aftercare", "in_progress"),
        ("aftercare", "closed"),
    ],
)
def test_allowed_transitions(current, target):
    lc.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("referred", "admitted"),
        ("referred", "in_progress"),
        ("intake", "in_progress"),
        ("declined", "intake"),
        ("declined", "admitted"),
        ("in_progress", "referred"),
        ("admitted", "declined"),
        ("admitted", "closed"),
        ("closed", "in_progress"),
        ("closed", "aftercare"),
        ("declined", "closed"),
        ("unknown", "intake"),
    ],
)
def test_refused_transitions(current, target):
    with pytest.raises(RuleViolation) as error:
        lc.check_transition(current, target)
    assert error.value.code == "transition_not_allowed"
    assert error.value.details == {"current": current, "target": target}


def test_every_status_has_its_transitions():
    assert set(lc.TRANSITIONS) == set(lc.STATUSES)
    assert all(t <= set(lc.STATUSES) for t in lc.TRANSITIONS.values())


@pytest.mark.parametrize(
    ("answers", "result"),
    [
        ({"A": "yes", "B": "yes", "C": "yes", "D": "yes"}, MET),
        ({"A": "yes", "B": "no", "C": "yes", "D": "yes"}, NOT_MET),
        ({"A": "no"}, NOT_MET),
        ({"A": "yes", "B": "yes", "C": "yes"}, INCOMPLETE),
        ({}, INCOMPLETE),
        ({"A": "maybe", "B": "yes", "C": "yes", "D": "yes"}, INCOMPLETE),
    ],
)
def test_decision_tree(answers, result):
    assert evaluate(answers) == result


def test_next_selection_step_follows_the_order():
    assert next_selection_step(frozenset()) == "introduction"
    assert next_selection_step(frozenset({"introduction"})) == "intake_talk"
    assert next_selection_step(frozenset({"introduction", "file_review"})) == "intake_talk"
    assert next_selection_step(ALL_STEPS) is None


def test_decision_needs_the_decision_meeting():
    facts = lc.CaseFacts(status="intake", tree_result=MET, steps_done=frozenset({"introduction"}))
    with pytest.raises(RuleViolation, match="decision_needs_meeting"):
        lc.check_decision(facts, "admitted")


def test_admission_needs_all_criteria_but_declining_does_not():
    facts = lc.CaseFacts(status="intake", tree_result=NOT_MET, steps_done=ALL_STEPS)
    with pytest.raises(RuleViolation, match="admission_needs_criteria"):
        lc.check_decision(facts, "admitted")
    lc.check_decision(facts, "declined")


def test_decision_only_during_intake():
    facts = lc.CaseFacts(status="admitted", tree_result=MET, steps_done=ALL_STEPS)
    with pytest.raises(RuleViolation, match="transition_not_allowed"):
        lc.check_decision(facts, "declined")


def test_start_lists_what_is_missing():
    facts = lc.CaseFacts(status="admitted", contract_signed=True)
    with pytest.raises(RuleViolation) as error:
        lc.check_start(facts)
    assert error.value.details["missing"] == ["consent", "plan_goals", "plan_signed"]
    lc.check_start(
        lc.CaseFacts(
            status="admitted", contract_signed=True, consent_valid=True, plan_goals=1, plan_signed=True
        )
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (lc.CaseFacts(status="referred"), "start_intake"),
        (lc.CaseFacts(status="intake"), "complete_intake"),
        (lc.CaseFacts(status="intake", tree_result=MET), "step_introduction"),
        (lc.CaseFacts(status="intake", tree_result=NOT_MET, steps_done=ALL_STEPS), "decide"),
        (lc.CaseFacts(status="admitted"), "record_contract"),
        (lc.CaseFacts(status="admitted", contract_signed=True, consent_valid=True), "record_plan_goals"),
        (
            lc.CaseFacts(
                status="admitted", contract_signed=True, consent_valid=True, plan_goals=2, plan_signed=True
            ),
            "start",
        ),
        (lc.CaseFacts(status="in_progress", consent_valid=True), "round_table"),
        (lc.CaseFacts(status="in_progress"), "renew_consent"),
        (lc.CaseFacts(status="declined"), "none"),
    ],
)
def test_next_step(facts, expected):
    assert lc.next_step(facts) == expected


def test_consent_states():
    signed, until = date(2026, 1, 1), date(2026, 12, 31)
    assert consent_state(signed, until, None, date(2026, 6, 1)) == VALID
    assert consent_state(signed, until, None, signed) == VALID
    assert consent_state(signed, until, None, until) == VALID
    assert consent_state(signed, until, None, date(2027, 1, 1)) == EXPIRED
    assert consent_state(signed, until, None, date(2025, 12, 31)) == NOT_YET
    assert consent_state(signed, until, datetime(2026, 2, 1, tzinfo=UTC), date(2026, 6, 1)) == WITHDRAWN


def test_one_year_after_handles_leap_days():
    assert one_year_after(date(2026, 11, 23)) == date(2027, 11, 23)
    assert one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_intake_is_open_only_during_intake():
    lc.check_intake_open("intake")
    with pytest.raises(RuleViolation, match="intake_not_started"):
        lc.check_intake_open("referred")
    for status in ("admitted", "declined", "in_progress"):
        with pytest.raises(RuleViolation, match="intake_closed"):
            lc.check_intake_open(status)


def test_agreements_only_for_admitted_cases():
    lc.check_agreements_open("admitted")
    lc.check_agreements_open("in_progress")
    for status in ("referred", "intake", "declined"):
        with pytest.raises(RuleViolation, match="needs_admission"):
            lc.check_agreements_open(status)


def test_nothing_before_the_referral():
    lc.check_not_before_referral(date(2026, 3, 1), date(2026, 3, 1))
    lc.check_not_before_referral(None, date(2026, 3, 1))
    with pytest.raises(RuleViolation, match="before_referral"):
        lc.check_not_before_referral(date(2026, 2, 28), date(2026, 3, 1))


def test_answered_no_names_the_criteria():
    from opkoers.domain.decision_tree import answered_no

    assert answered_no({"A": "yes", "B": "no", "C": None, "D": "no"}) == ["B", "D"]


# ---------------------------------------------------------------- meetings


def test_a_meeting_time_is_dutch_wall_clock_time_stored_in_utc():
    winter = meetings.local_span(date(2026, 12, 7), time(14), time(15, 30))
    summer = meetings.local_span(date(2026, 6, 8), time(14), time(15, 30))
    assert winter == (datetime(2026, 12, 7, 13, tzinfo=UTC), datetime(2026, 12, 7, 14, 30, tzinfo=UTC))
    assert summer == (datetime(2026, 6, 8, 12, tzinfo=UTC), datetime(2026, 6, 8, 13, 30, tzinfo=UTC))


def test_a_meeting_across_the_change_to_winter_time_lasts_an_hour_longer():
    # On 25 October 2026 the clocks go back at 03:00 (to 02:00): 01:30–03:30 is three real hours.
    start, end = meetings.local_span(date(2026, 10, 25), time(1, 30), time(3, 30))
    assert end - start == timedelta(hours=3)


def test_a_time_in_the_hour_skipped_by_summer_time_is_refused():
    # On 29 March 2026 the clocks jump from 02:00 to 03:00: 02:30 does not exist.
    with pytest.raises(RuleViolation) as error:
        meetings.local_span(date(2026, 3, 29), time(2, 30), time(4))
    assert error.value.code == "meeting_time_does_not_exist"


@pytest.mark.parametrize(("start", "end"), [(time(15), time(14)), (time(14), time(14))])
def test_a_meeting_ends_after_it_starts(start, end):
    with pytest.raises(RuleViolation, match="meeting_end_before_start"):
        meetings.local_span(date(2026, 12, 7), start, end)


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 7, hour, minute, tzinfo=UTC)


def test_minutes_are_signed_once_after_the_start_and_not_empty():
    now = _at(16)
    meetings.check_sign_off("planned", False, _at(13), now, "Besproken: de huur.")
    for status, signed, starts, text, code in [
        ("planned", False, _at(17), "Tekst", "meeting_not_started"),
        ("planned", False, _at(13), "  ", "minutes_empty"),
        ("held", True, _at(13), "Tekst", "minutes_locked"),
        ("cancelled", False, _at(13), "Tekst", "meeting_cancelled"),
    ]:
        with pytest.raises(RuleViolation) as error:
            meetings.check_sign_off(status, signed, starts, now, text)
        assert error.value.code == code


def test_only_a_change_of_time_place_or_kind_updates_the_invitations():
    assert meetings.needs_update({"starts_at": [1, 2]})
    assert meetings.needs_update({"video_link": ["", "https://x"]})
    assert not meetings.needs_update({"agenda": ["", "1. Welkom"]})


def test_moving_a_problem_up_or_down():
    assert meetings.moved([1, 2, 3], 3, "up") == [1, 3, 2]
    assert meetings.moved([1, 2, 3], 1, "down") == [2, 1, 3]
    assert meetings.moved([1, 2, 3], 1, "up") == [1, 2, 3]  # at the top it stays
    with pytest.raises(RuleViolation, match="not_in_order"):
        meetings.moved([1, 2, 3], 9, "up")


def test_the_clash_note_names_who_and_when_in_dutch_time():
    clash = meetings.Clash("Sanne", _at(13), _at(14))
    assert meetings.clash_note([clash]) == "Sanne: 2026-12-07 14:00–15:00"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 2), 12, date(2027, 12, 2)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 5, 15), 0, date(2026, 5, 15)),
    ],
)
def test_months_later_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert follow_up.add_months(day, months) == expected


def test_aftercare_is_three_months_and_warned_two_weeks_before():
    ends = follow_up.aftercare_ends_on(date(2026, 12, 2))
    assert ends == date(2027, 3, 2)
    assert follow_up.aftercare_warning_horizon(date(2027, 2, 16)) == ends


@pytest.mark.parametrize(
    ("text", "months"),
    [("3, 6, 12", (3, 6, 12)), ("12,3;6", (3, 6, 12)), (" 6 ", (6,)), ("4, 4, 1", (1, 4))],
)
def test_pilot_light_months_as_typed(text, months):
    assert follow_up.parse_pilot_light_months(text) == months


@pytest.mark.parametrize("text", ["", " , ", "0", "13", "3, 6, 18", "drie", "-3", "3.5", "1e1"])
def test_pilot_light_months_outside_the_first_year_are_refused(text):
    with pytest.raises(RuleViolation, match="pilot_light_months_invalid"):
        follow_up.parse_pilot_light_months(text)


def test_follow_ups_are_planned_from_the_closing_day():
    planned = follow_up.follow_up_dates(date(2026, 8, 31), (3, 12))
    assert planned["measurements"] == {
        "end": date(2026, 8, 31),
        "half_year": date(2027, 2, 28),
        "year": date(2027, 8, 31),
    }
    assert planned["pilot_light"] == {3: date(2026, 11, 30), 12: date(2027, 8, 31)}


@pytest.mark.parametrize(
    ("today", "taken", "state"),
    [
        (date(2026, 5, 1), None, "planned"),
        (date(2026, 5, 18), None, "due"),  # two weeks before
        (date(2026, 6, 1), None, "due"),
        (date(2026, 7, 1), None, "due"),  # thirty days after
        (date(2026, 7, 2), None, "missed"),
        (date(2026, 7, 2), date(2026, 6, 3), "taken"),
    ],
)
def test_a_measurement_has_its_window(today, taken, state):
    assert follow_up.measurement_state(date(2026, 6, 1), taken, today) == state


def test_a_measurement_outside_its_window_or_dated_ahead_is_refused():
    due = date(2026, 6, 1)
    for today, code in ((date(2026, 5, 1), "measurement_not_yet"), (date(2026, 7, 2), "measurement_missed")):
        with pytest.raises(RuleViolation, match=code):
            follow_up.check_measurable(due, None, today, today)
    with pytest.raises(RuleViolation, match="date_in_future"):
        follow_up.check_measurable(due, None, due, due + timedelta(days=1))
    with pytest.raises(RuleViolation, match="measurement_already_taken"):
        follow_up.check_measurable(due, due, due, due)
    with pytest.raises(RuleViolation, match="measurement_date_too_early"):  # dated before its window
        follow_up.check_measurable(due, None, due, due - timedelta(days=15))


def test_every_theme_needs_a_score_from_1_to_5():
    follow_up.check_scores([1, 2], {1: 1, 2: 5})
    for scores in ({1: 3}, {1: 3, 2: 0}, {1: 3, 2: 6}, {1: 3, 2: None}):
        with pytest.raises(RuleViolation, match="scores_incomplete"):
            follow_up.check_scores([1, 2], scores)


@pytest.mark.parametrize(
    ("outcome", "goals", "explanation", "code"),
    [
        ("", 0, "", "closing_needs_outcome"),
        ("done", 0, "", "closing_needs_outcome"),
        ("goals_unreachable", 0, "Geen woning.", "closing_needs_goals"),
        ("no_cooperation", 0, "  ", "closing_needs_explanation"),
    ],
)
def test_the_reason_for_closing_says_enough(outcome, goals, explanation, code):
    with pytest.raises(RuleViolation, match=code):
        follow_up.check_closing(outcome, goals, explanation)


def test_closing_comes_after_the_closing_talk_and_not_in_the_future():
    today = date(2026, 12, 2)
    follow_up.check_closing_talk(today, True, today, today)
    for talk, began, closed, code in (
        (None, False, today, "closing_needs_talk"),
        (today, False, today, "closing_talk_not_held"),
        (today, True, today + timedelta(days=1), "closing_in_future"),
        (today, True, today - timedelta(days=1), "closing_before_talk"),
    ):
        with pytest.raises(RuleViolation, match=code):
            follow_up.check_closing_talk(talk, began, closed, today)


def test_a_pilot_light_contact_is_held_with_a_balance_or_impossible_with_a_reason():
    follow_up.check_pilot_light("open", "held", False, "")
    follow_up.check_pilot_light("open", "impossible", None, "Verhuisd.")
    for status, outcome, balanced, reason, code in (
        ("held", "held", True, "", "pilot_light_already_registered"),
        ("open", "held", None, "", "pilot_light_needs_balance"),
        ("open", "impossible", None, " ", "pilot_light_needs_reason"),
        ("open", "maybe", None, "", "pilot_light_needs_outcome"),
    ):
        with pytest.raises(RuleViolation, match=code):
            follow_up.check_pilot_light(status, outcome, balanced, reason)


def test_durations_and_durable_outflow():
    assert impact.duration([10, None, 20, 40]) == impact.Duration(3, 20.0, 23.3)
    assert impact.duration([None]) == impact.Duration(0, None, None)
    assert impact.days_between(date(2026, 1, 1), datetime(2026, 1, 31, 23, 0)) == 30
    assert impact.days_between(date(2026, 1, 1), None) is None
    assert [impact.durable_class(3.0, y) for y in (3.5, 3.0, 2.9)] == ["improved", "kept", "relapsed"]
