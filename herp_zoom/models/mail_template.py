from odoo import models

from ..utils.meeting_text import add_join_details


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _render_field(self, field, res_ids, engine="inline_template", compute_lang=False, set_lang=False, **kwargs):
        if field != "body_html" or self.render_model != "calendar.attendee":
            return super()._render_field(
                field, res_ids, engine=engine, compute_lang=compute_lang, set_lang=set_lang, **kwargs,
            )
        # Odoo 19 also takes the language of each record (res_ids_lang), before set_lang.
        langs = kwargs.pop("res_ids_lang", None) or {}
        if compute_lang or langs:
            # Each language group is rendered as mail does, and gets the meeting lines in its
            # language: the attendees' languages are found once, not again for the lines.
            if compute_lang:
                groups = self._classify_per_lang(res_ids, engine=engine).items()
            else:
                groups = {}
                for res_id, lang in langs.items():
                    groups.setdefault(lang, (self.with_context(lang=lang), []))[1].append(res_id)
                groups = groups.items()
            rendered = {}
            for lang, (template, group_ids) in groups:
                rendered.update(template._render_field(field, group_ids, engine=engine, set_lang=lang or False, **kwargs))
            return rendered
        rendered = super()._render_field(field, res_ids, engine=engine, set_lang=set_lang, **kwargs)
        # Calendar's invitations, reminders and date changes only show the join link:
        # attendees also get the meeting ID and passcode, under the link.
        attendees = self.env["calendar.attendee"].sudo().browse(list(rendered)).filtered(
            lambda attendee: attendee.event_id.zoom_state == "issued" and attendee.event_id.zoom_join_url
        )
        lang = set_lang or self.env.lang
        lines = {}
        for attendee in attendees:
            event = attendee.event_id
            if not rendered.get(attendee.id):
                continue
            if event not in lines:
                lines[event] = event._zoom_join_lines(lang)
            rendered[attendee.id] = add_join_details(rendered[attendee.id], event.zoom_join_url, lines[event])
        return rendered
