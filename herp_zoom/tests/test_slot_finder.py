"""Free interview slots, as plain Python (no database)."""

import unittest
from datetime import datetime, timedelta

from odoo.addons.herp_zoom.services.slot_finder import free_slots, group_by_day, merge_intervals, slot_is_free

from .dates import YEAR

DAY = datetime(YEAR, 3, 4)
HOUR = timedelta(hours=1)


def at(hour, minute=0, day=0):
    return DAY + timedelta(days=day, hours=hour, minutes=minute)


class TestFreeSlots(unittest.TestCase):
    def test_slots_lie_inside_every_interviewers_working_hours(self):
        working = {"ann": [(at(1), at(5))], "bob": [(at(3), at(8))]}
        self.assertEqual(free_slots(working, {}, HOUR), [(at(3), at(4)), (at(4), at(5))])

    def test_busy_events_remove_the_slots_they_overlap(self):
        working = {"ann": [(at(1), at(5))]}
        busy = {"ann": [(at(2, 30), at(3, 15))]}
        self.assertEqual(free_slots(working, busy, HOUR, step=timedelta(minutes=30)),
                         [(at(1), at(2)), (at(1, 30), at(2, 30)), (at(3, 30), at(4, 30)), (at(4), at(5))])

    def test_nothing_before_the_earliest_start(self):
        working = {"ann": [(at(1), at(5))]}
        self.assertEqual(free_slots(working, {}, HOUR, not_before=at(2, 10)), [(at(3), at(4)), (at(4), at(5))])

    def test_host_capacity_follows_the_issuing_rule(self):
        working = {"ann": [(at(1), at(3))]}
        host_busy = {"zu_ann": [(at(1), at(2), 7)]}
        # One meeting at a time: the first hour is taken by another interview Ann hosts.
        self.assertEqual(free_slots(working, {}, HOUR, hosts=["zu_ann"], host_busy=host_busy, capacity=1),
                         [(at(2), at(3))])
        # Two simultaneous meetings allowed (Business plan and above): both hours are open.
        self.assertEqual(len(free_slots(working, {}, HOUR, hosts=["zu_ann"], host_busy=host_busy, capacity=2)), 2)
        # Another linked interviewer can host the first hour.
        self.assertEqual(len(free_slots(working, {}, HOUR, hosts=["zu_ann", "zu_bob"], host_busy=host_busy)), 2)
        # Nobody linked at all while meetings are issued: no slot.
        self.assertEqual(free_slots(working, {}, HOUR, hosts=[], host_busy=host_busy), [])

    def test_limit_and_empty_inputs(self):
        working = {"ann": [(at(0), at(23))]}
        self.assertEqual(len(free_slots(working, {}, HOUR, limit=5)), 5)
        self.assertEqual(free_slots({}, {}, HOUR), [])
        self.assertEqual(free_slots(working, {}, timedelta(0)), [])

    def test_slot_is_free_checks_one_slot(self):
        working = {"ann": [(at(1), at(5))], "bob": [(at(1), at(5))]}
        self.assertTrue(slot_is_free(at(1), at(2), working, {}))
        self.assertFalse(slot_is_free(at(0), at(1), working, {}))
        self.assertFalse(slot_is_free(at(1), at(2), working, {"bob": [(at(1, 30), at(1, 45))]}))

    def test_merge_and_group_by_local_day(self):
        self.assertEqual(merge_intervals([(at(3), at(4)), (at(1), at(2)), (at(2), at(3))]), [(at(1), at(4))])
        slots = [(at(14), at(15)), (at(16), at(17))]
        days = group_by_day(slots, lambda moment: moment + timedelta(hours=9))
        self.assertEqual([day for day, _slots in days], [at(0).date(), at(0, day=1).date()])
        self.assertEqual(days[1][1][0][:2], (at(16), at(17)))
