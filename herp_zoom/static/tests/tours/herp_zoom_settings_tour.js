import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const japanese = () => (user.lang || "").startsWith("ja");

// An administrator finds the Zoom block in Settings, in English or Japanese.
registry.category("web_tour.tours").add("herp_zoom_settings_tour", {
    url: "/odoo/action-calendar.calendar_settings_action",
    steps: () => [
        {
            trigger: "#herp_zoom_connection",
            content: "The Zoom block of the calendar settings",
        },
        {
            trigger: `#herp_zoom_connection:contains(${japanese() ? "クライアントシークレット" : "Client Secret"})`,
            content: "Credentials of the company's Zoom app",
        },
        {
            trigger: `#herp_zoom_connection button:contains(${japanese() ? "接続テスト" : "Test connection"})`,
            content: "The connected account can be tested",
        },
        {
            trigger: `#herp_zoom_hosts:contains(${japanese() ? "同時ミーティング数" : "Simultaneous Meetings"})`,
            content: "Simultaneous meetings per Zoom user",
        },
    ],
});

// An interviewer finds their Zoom link in My Preferences, in English or Japanese.
registry.category("web_tour.tours").add("herp_zoom_preferences_tour", {
    url: "/odoo",
    steps: () => [
        {
            trigger: ".o_user_menu button, .o_user_menu .dropdown-toggle",
            content: "Open the user menu",
            run: "click",
        },
        {
            // The user menu's Preferences entry: data-menu=preferences on Odoo 19, settings on 18.
            trigger: "[data-menu=preferences], [data-menu=settings]",
            content: "Open My Preferences",
            run: "click",
        },
        {
            trigger: `.o_herp_zoom_preferences:contains(${japanese() ? "連携中の Zoom ユーザー" : "Linked Zoom user"})`,
            content: "The linked Zoom user is shown",
        },
        {
            trigger: `.o_herp_zoom_preferences button:contains(${japanese() ? "新しいアカウントを連携" : "Connect a new account"})`,
            content: "A new Zoom user can be connected",
        },
        {
            trigger: `.o_herp_zoom_preferences button:contains(${japanese() ? "連携解除" : "Unlink"})`,
            content: "and the current one unlinked",
        },
    ],
});
