from odoo import _, models
from odoo.exceptions import AccessError


class ZoomCodeFields(models.AbstractModel):
    """Fields that only herp_zoom's code sets: refused to every user who writes them, whatever
    their rights on the record (``readonly`` in a view is no rule for RPC).

    A model lists them in ``_zoom_code_fields``; herp_zoom writes them as superuser, after the
    caller's own access check.
    """

    _name = "zoom.code.fields"
    _description = "Fields Set by herp_zoom Only"

    _zoom_code_fields = frozenset()

    def _zoom_refuse_code_fields(self, vals_list, creating=False):
        """Refuse values (and, at creation, context defaults) of code-only fields from a user."""
        if self.env.su:
            return
        names = {name for vals in vals_list for name in vals if name in self._zoom_code_fields}
        if creating:
            names.update(key[8:] for key in self.env.context if key.startswith("default_")
                         and key[8:] in self._zoom_code_fields)
        if names:
            labels = ", ".join(sorted(f"{self._fields[name]._description_string(self.env)} ({name})"
                                      for name in names))
            raise AccessError(self._zoom_code_fields_message(labels))

    def _zoom_code_fields_message(self, labels):
        return _("%s: these fields are set by herp_zoom and cannot be written by hand.", labels)
