from odoo import models

from ..utils.meeting_text import add_join_details


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _render_field(self, field, res_ids, engine="inline_template", compute_lang=False, set_lang=False,
                      add_context=None, options=None):
        rendered = super()._render_field(
            field, res_ids, engine=engine, compute_lang=compute_lang, set_lang=set_lang,
            add_context=add_context, options=options,
        )
        if field != "body_html" or self.render_model != "calendar.attendee":
            return rendered
        # Calendar's invitations, reminders and date changes only show the join link:
        # attendees also get the meeting ID and passcode, under the link.
        attendees = self.env["calendar.attendee"].sudo().browse(list(rendered)).filtered(
            lambda attendee: attendee.event_id.zoom_state == "issued" and attendee.event_id.zoom_join_url
        )
        if not attendees:
            return rendered
        langs = self._render_lang(attendees.ids, engine=engine) if compute_lang else {}
        for attendee in attendees:
            event = attendee.event_id
            if not rendered.get(attendee.id):
                continue
            lang = langs.get(attendee.id) or set_lang or self.env.lang
            rendered[attendee.id] = add_join_details(
                rendered[attendee.id], event.zoom_join_url, event._zoom_join_lines(lang),
            )
        return rendered
