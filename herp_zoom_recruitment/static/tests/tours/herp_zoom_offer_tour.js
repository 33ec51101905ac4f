import { registry } from "@web/core/registry";
// Odoo 19's tours (its module path) know expectUnloadPage; Odoo 18's refuse unknown step keys.
const odoo19 = () => Boolean(globalThis.odoo?.loader?.modules?.has("@web_tour/js/tour_service"));

const japanese = () => (document.querySelector(".o_herp_zoom_offer")?.dataset.lang || "").startsWith("ja");

// The candidate opens the link, picks a time, confirms and sees the Zoom link, in English or Japanese.
registry.category("web_tour.tours").add("herp_zoom_offer_tour", {
    steps: () => [
        {
            trigger: `.o_herp_zoom_offer_form p:contains(${japanese() ? "ご都合のよい日時を選んでください" : "Please pick the time that suits you"})`,
            content: "The offered times, in the candidate's language",
        },
        {
            trigger: ".o_herp_zoom_offer_day:first .o_herp_zoom_offer_slot:first",
            content: "Pick the first time offered",
            run: "click",
        },
        {
            trigger: `.o_herp_zoom_offer_confirm:contains(${japanese() ? "この日時で確定する" : "Confirm this time"})`,
            content: "Confirm it",
            run: "click",
            // The form posts and a new page loads: Odoo 19 wants such steps to say so; Odoo 18 knows no such key.
            ...(odoo19() ? { expectUnloadPage: true } : {}),
        },
        {
            trigger: `.o_herp_zoom_offer_notice:contains(${japanese() ? "面接を予約しました" : "Your interview is booked"})`,
            content: "The booking is confirmed",
        },
        {
            trigger: ".o_herp_zoom_offer_confirmation a.o_herp_zoom_offer_link[href*='/j/']",
            content: "The Zoom link is on the confirmation page",
        },
    ],
});
