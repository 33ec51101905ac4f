from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestRolesHeading(TransactionCase):
    def test_roles_are_one_selection_under_zoom_on_the_user_form(self):
        """Odoo 18 lists roles by application category: a chained category is one selection."""
        groups = [self.env.ref(f"herp_zoom.group_zoom_{name}") for name in ("guest", "assistant", "recruiter", "admin")]
        category = self.env.ref("herp_zoom.module_category_herp_zoom")
        self.assertEqual({group.category_id for group in groups}, {category})
        self.assertEqual(category.name, "Zoom")
        selection = [name for name in self.env["res.users"].fields_get() if name.startswith("sel_groups_")
                     and str(groups[0].id) in name]
        self.assertEqual(len(selection), 1)
