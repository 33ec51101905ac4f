import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
// Odoo 19's tours (its module path) know expectUnloadPage; Odoo 18's refuse unknown step keys.
const odoo19 = () => Boolean(globalThis.odoo?.loader?.modules?.has("@web_tour/js/tour_service"));

const japanese = () => (user.lang || "").startsWith("ja");
const t = (english, japaneseText) => (japanese() ? japaneseText : english);

// An administrator's first hour: the guide with this database's values, "Check setup", one
// failing item fixed (the webhook secret token), all green, then the invitation to link.
registry.category("web_tour.tours").add("herp_zoom_setup_tour", {
    url: "/odoo/action-calendar.calendar_settings_action",
    steps: () => [
        {
            trigger: `details.o_herp_zoom_guide > summary:contains(${t("How to create the Zoom app", "Zoom アプリの作成手順")})`,
            content: "Open the guide",
            run: "click",
        },
        {
            trigger: `details.o_herp_zoom_guide[open] li:contains(${t("General App", "General App")})`,
            content: "The steps for the connection type in use",
        },
        {
            trigger: "details.o_herp_zoom_guide[open] .o_field_widget[name=zoom_webhook_url]:contains(/herp_zoom/webhook) .o_clipboard_button",
            content: "This database's webhook URL, with a copy button",
        },
        {
            trigger: "details.o_herp_zoom_guide[open] .o_field_widget[name=zoom_redirect_url]:contains(/herp_zoom/oauth/callback) .o_clipboard_button",
            content: "the redirect URL",
        },
        {
            trigger: "details.o_herp_zoom_guide[open] .o_field_widget[name=zoom_webhook_events]:contains(meeting.deleted)",
            content: "and the event types",
        },
        {
            trigger: "button[name=action_zoom_check_setup]",
            content: "Check setup",
            run: "click",
        },
        {
            trigger: `.modal .o_herp_zoom_setup_check .o_data_row:contains(Webhook) .badge:contains(${t("Failed", "失敗")})`,
            content: "The webhook secret token is missing",
        },
        {
            trigger: ".modal .o_herp_zoom_setup_check .alert-warning",
            content: "so the setup is not complete",
        },
        {
            trigger: ".modal-footer button[special=cancel]",
            content: "Close the check",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: "div[name=zoom_webhook_secret] input",
            content: "Paste the secret token",
            run: "edit tour-secret-token",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the settings (the page reloads)",
            run(helpers) {
                document.body.classList.add("o_herp_zoom_before_save");
                helpers.click();
            },
            // Odoo 19 wants steps that reload the page to say so; Odoo 18 knows no such key.
            ...(odoo19() ? { expectUnloadPage: true } : {}),
        },
        {
            trigger: "body:not(.o_herp_zoom_before_save) button[name=action_zoom_check_setup]",
            content: "Check again",
            run: "click",
        },
        {
            trigger: `.modal .o_herp_zoom_setup_check .o_data_row:contains(Webhook) .badge:not(:contains(${t("Failed", "失敗")}))`,
            content: "The webhook is fixed",
        },
        {
            trigger: `.modal .o_herp_zoom_setup_check .alert-success:contains(${t("Everything is set up", "すべて設定済み")})`,
            content: "All green",
        },
        {
            trigger: `.modal .o_herp_zoom_setup_check .o_data_row button:contains(${t("Show unlinked users", "未連携のユーザーを表示")})`,
            content: "Open the users with a Zoom role who did not link",
            run: "click",
        },
        {
            trigger: `.o_searchview_facet:contains(${t("Zoom role, not linked", "Zoom ロールあり・未連携")})`,
            content: "The users list is filtered",
        },
        {
            trigger: ".o_list_view thead .o_list_record_selector input",
            content: "Select them all",
            run: "click",
        },
        {
            trigger: ".o_cp_action_menus .dropdown-toggle",
            content: "Actions",
            run: "click",
        },
        {
            trigger: `.o-dropdown--menu .dropdown-item:contains(${t("Invite to link their Zoom user", "Zoom ユーザーの連携を依頼")})`,
            content: "Invite them to link their Zoom user",
            run: "click",
        },
        {
            trigger: `.modal .o_herp_zoom_invitation .o_field_widget[name=invited_ids] .o_tag`,
            content: "The dialog names who gets the invitation",
        },
        {
            trigger: ".modal-footer button[name=action_send]",
            content: "Send the invitations",
            run: "click",
        },
        {
            trigger: `.o_notification:contains(${t("Invitation sent to", "連携の依頼を")})`,
            content: "The invitations are sent",
        },
    ],
});
