from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRolesHeading(TransactionCase):
    def test_roles_are_one_privilege_under_zoom_on_the_user_form(self):
        """Odoo 19 lists roles by privilege, the privileges by application category."""
        groups = [self.env.ref(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant", "recruiter", "admin")]
        privilege = self.env.ref("herp_zoom_series.res_groups_privilege_herp_zoom")
        self.assertEqual({group.privilege_id for group in groups}, {privilege})
        self.assertEqual(privilege.name, "Zoom")
        self.assertEqual(privilege.category_id, self.env.ref("herp_zoom.module_category_herp_zoom"))
        # What the user form's roles widget shows: "Zoom" with its four roles, lowest first.
        hierarchy = self.env["res.groups"]._get_view_group_hierarchy()
        self.assertEqual(hierarchy["privileges"][privilege.id]["group_ids"], [group.id for group in groups])
        category = next(category for category in hierarchy["categories"] if privilege.id in category["privilege_ids"])
        self.assertEqual(category["name"], "Zoom")
