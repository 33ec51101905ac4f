import { Many2ManyAttendee } from "@calendar/views/fields/many2many_attendee";
import { patch } from "@web/core/utils/patch";
import { useSpecialData } from "@web/views/fields/relational_utils";

// Attendees whose user has linked a Zoom user carry a Zoom mark.
patch(Many2ManyAttendee.prototype, {
    setup() {
        super.setup(...arguments);
        this.zoomLinked = useSpecialData((orm, props) => {
            const partnerIds = props.record.data[props.name].records.map((rec) => rec.resId);
            return orm.call("res.partner", "get_zoom_linked_partner_ids", [partnerIds]);
        });
    },

    get tags() {
        const linked = this.zoomLinked.data || [];
        return super.tags.map((tag) => Object.assign(tag, { zoomLinked: linked.includes(tag.resId) }));
    },
});
