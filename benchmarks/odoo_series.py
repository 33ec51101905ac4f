"""What the benchmarks need that differs between Odoo series, in one place (they also run on
databases without herp_zoom, whose compatibility module gives Odoo 18 the 19 names)."""


def user_groups(env, group_ids):
    """The values that give a new user exactly these groups: ``group_ids`` on Odoo 19,
    ``groups_id`` on 18."""
    field = "group_ids" if "group_ids" in env["res.users"]._fields else "groups_id"
    return {field: [(6, 0, list(group_ids))]}
