import { registry } from "@web/core/registry";

// A recruiter creates an interview in the event form with a linked interviewer: the
// interviewer carries the Zoom mark, and the saved event shows the Zoom link.
registry.category("web_tour.tours").add("herp_zoom_interview_tour", {
    url: "/odoo/action-calendar.action_calendar_event?view_type=list",
    steps: () => [
        {
            trigger: ".o_list_button_add",
            content: "Create an event",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] textarea, .o_field_widget[name=name] input",
            content: "Name the interview",
            run: "edit Interview with Chika",
        },
        {
            trigger: ".o_field_widget[name=partner_ids] input",
            content: "Add the interviewer",
            run: "edit Ichiro",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Ichiro Interviewer)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=partner_ids] .o_tag:contains(Ichiro Interviewer) .o_herp_zoom_mark",
            content: "The linked interviewer carries the Zoom mark",
        },
        {
            trigger: ".o_form_button_save",
            content: "Save the interview",
            run: "click",
        },
        {
            trigger: ".o_form_saved div[name=videocall_location_div]:has(.o_field_widget[name=videocall_location]) button[name=action_join_video_call]",
            content: "The event shows the Zoom link once, as its video call, with Odoo's Join button",
        },
        {
            trigger: ".o_form_view:not(:has(.o_field_widget[name=zoom_join_url]))",
            content: "and no second copy of the link",
        },
        {
            trigger: ".o_herp_zoom_meeting .o_field_widget[name=zoom_meeting_id_display]:not(:empty)",
            content: "and the meeting ID",
        },
    ],
});
