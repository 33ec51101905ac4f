"""Odoo 18.0: what herp_zoom's Odoo 19 code needs there.

The functions and classes of ``odoo19`` as Odoo 18 has them, and the fields Odoo 19 renamed,
added to Odoo 18's models under their Odoo 19 names (as aliases of Odoo 18's fields), so that
herp_zoom's code, data files and tests name them one way only.
"""

from contextlib import nullcontext

from odoo import fields, models
from odoo.sql_db import TestCursor

# pylint: disable=consider-merging-classes-inherited

__all__ = [
    "ISSUED_SAVE_SPARES_QUERIES", "Constraint", "allow_all_requests", "calendar_contact_details", "cron_progress",
    "enter_registry_test_mode", "is_test_cursor", "registry_in_test_mode", "test_cursor_class",
]

ISSUED_SAVE_SPARES_QUERIES = 1


class Constraint:
    """Odoo 19's ``models.Constraint``, as an entry of Odoo 18's ``_sql_constraints``: the same
    name in the database (``<table>_<attribute name without its _>``), so an upgrade to 19 finds it."""

    def __init__(self, definition, message=""):
        self.definition = definition
        self.message = message

    def __set_name__(self, owner, name):
        owner._sql_constraints = [*owner.__dict__.get("_sql_constraints", []),
                                  (name[1:], self.definition, self.message)]



def enter_registry_test_mode(test_class):
    if test_class.registry.test_cr is None:
        test_class.registry.enter_test_mode(test_class.cr)
        test_class.addClassCleanup(test_class.registry.leave_test_mode)

def registry_in_test_mode(registry):
    return registry.in_test_mode()


def test_cursor_class():
    return TestCursor


def allow_all_requests(case):
    """Odoo 18's test server takes every request."""
    return nullcontext()


def is_test_cursor(cr):
    return type(cr).__name__ == "TestCursor"


def calendar_contact_details(event):
    """Odoo 18's calendar adds no contact details to descriptions."""
    return []


def cron_progress(env, *, done, remaining):
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)


class ResUsers(models.Model):
    _inherit = "res.users"

    # Odoo 18's groups_id holds the implied groups too.
    group_ids = fields.Many2many(related="groups_id", readonly=False, string="Groups (Odoo 19)")
    all_group_ids = fields.Many2many(related="groups_id", string="Groups and implied groups (Odoo 19)")


class ResGroups(models.Model):
    _inherit = "res.groups"

    user_ids = fields.Many2many(related="users", readonly=False, string="Users (Odoo 19)")
    all_user_ids = fields.Many2many(related="users", string="Users and implied users (Odoo 19)")

    # Odoo 19's all_implied_ids holds the group itself too.
    all_implied_ids = fields.Many2many("res.groups", compute="_compute_all_implied_ids",
                                       string="Transitively Implied Groups (Odoo 19)")

    def _compute_all_implied_ids(self):
        for group in self:
            group.all_implied_ids = group | group.trans_implied_ids


class IrActionsActWindow(models.Model):
    _inherit = "ir.actions.act_window"

    group_ids = fields.Many2many(related="groups_id", readonly=False, string="Groups (Odoo 19)")
