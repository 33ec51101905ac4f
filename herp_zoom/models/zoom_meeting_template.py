from odoo import fields, models
from ..compat import Constraint

# Zoom's template types: 1 a user's own template, 2 an account administrator's template.
ADMIN_TEMPLATE = 2


class ZoomMeetingTemplate(models.Model):
    """A meeting template of the company's Zoom account, as Zoom lists it.

    Zoom creates meetings from account administrators' templates only (``template_id``), so
    only those are kept.
    """

    _name = "zoom.meeting.template"
    _description = "Zoom Meeting Template"
    _order = "name, id"

    account_id = fields.Many2one("zoom.account", "Zoom Connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    template_id = fields.Char("Zoom Template ID", required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    active = fields.Boolean(default=True)

    _template_uniq = Constraint("unique(account_id, template_id)", "A Zoom template is recorded once per connection.")

    def _store_for_account(self, account, listed):
        """Keep the account's administrator templates as Zoom lists them; templates gone from Zoom
        are archived (an interview setting may still name one). Returns how many Zoom lists."""
        existing = self.with_context(active_test=False).search([("account_id", "=", account.id)])
        by_id = {template.template_id: template for template in existing}
        seen = self.browse()
        for item in listed:
            if item.get("type") != ADMIN_TEMPLATE or not item.get("id"):
                continue
            template = by_id.get(item["id"])
            values = {"name": item.get("name") or item["id"], "active": True}
            if template:
                template.write(values)
            else:
                template = self.create(dict(values, account_id=account.id, template_id=item["id"]))
            seen |= template
        gone = existing - seen
        gone.write({"active": False})
        if account.meeting_template_id in gone:
            account.meeting_template_id = False
        return len(seen)
