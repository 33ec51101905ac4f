import { registry } from "@web/core/registry";
// Odoo 19's tours (its module path) know expectUnloadPage; Odoo 18's refuse unknown step keys.
const odoo19 = () => Boolean(globalThis.odoo?.loader?.modules?.has("@web_tour/js/tour_service"));

// The candidate opens the link without a time zone: the page takes the browser's one (the test
// runs the browser in Asia/Kolkata, UTC+05:30 all year; Chromium names it Asia/Calcutta) and
// shows the slots in it rather than in the candidate's Asia/Tokyo.
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
registry.category("web_tour.tours").add("herp_zoom_offer_browser_tz_tour", {
    steps: () => [
        {
            trigger: ".o_herp_zoom_offer:not([data-tz='Asia/Tokyo'])",
            content: "The page is shown in the browser's time zone",
            run() {
                const shown = document.querySelector(".o_herp_zoom_offer").dataset.tz;
                const selected = document.querySelector("select[name='tz']").value;
                if (!["Asia/Kolkata", "Asia/Calcutta"].includes(browserZone()) || shown !== browserZone()
                        || selected !== browserZone()) {
                    throw new Error(`Shown in ${shown}, ${selected} selected, the browser's is ${browserZone()}`);
                }
            },
        },
        {
            // The slot at 02:00 UTC: 07:30 in Kolkata (it would read 11:00 in the candidate's Tokyo).
            trigger: ".o_herp_zoom_offer_slot:contains(07:30 - 08:30)",
            content: "Pick the time offered, shown in the browser's time zone",
            run: "click",
        },
        {
            trigger: ".o_herp_zoom_offer_confirm",
            content: "Confirm it",
            run: "click",
            // The form posts and a new page loads: Odoo 19 wants such steps to say so; Odoo 18 knows no such key.
            ...(odoo19() ? { expectUnloadPage: true } : {}),
        },
        {
            trigger: ".o_herp_zoom_offer_notice",
            content: "The booking is confirmed in the browser's time zone",
            run() {
                const zone = document.querySelectorAll(".o_herp_zoom_offer_confirmation td")[1].textContent;
                if (zone !== browserZone()) {
                    throw new Error(`Confirmed in ${zone}, the browser's is ${browserZone()}`);
                }
            },
        },
        {
            trigger: ".o_herp_zoom_offer_confirmation td:contains(07:30 - 08:30)",
            content: "At the time picked",
        },
    ],
});
