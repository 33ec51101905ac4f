import { registry } from "@web/core/registry";

// The setup guide's copy boxes show their whole value (the scopes, the event types, the URLs):
// what an administrator reads is what they paste into Zoom.
registry.category("web_tour.tours").add("herp_zoom_guide_copy_tour", {
    url: "/odoo/action-calendar.calendar_settings_action",
    steps: () => [
        {
            trigger: ".o_herp_zoom_guide summary",
            content: "Open the guide",
            run: "click",
        },
        {
            trigger: ".o_herp_zoom_guide[open] .o_herp_zoom_scopes span",
            content: "Every copy box shows its whole value",
            run() {
                const boxes = document.querySelectorAll(
                    ".o_herp_zoom_guide .o_field_CopyClipboardChar > div > span:first-child"
                );
                if (boxes.length < 4) {
                    throw new Error(`Only ${boxes.length} copy boxes in the guide`);
                }
                for (const box of boxes) {
                    if (box.offsetWidth && box.scrollWidth > box.clientWidth + 1) {
                        throw new Error(`A copy box cuts its value off: ${box.textContent}`);
                    }
                }
            },
        },
    ],
});
