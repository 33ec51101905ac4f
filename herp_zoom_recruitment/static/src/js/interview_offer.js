/* The candidate's time zone: taken from the browser the first time, changeable with the select. */
(function () {
    "use strict";
    document.addEventListener("DOMContentLoaded", function () {
        const form = document.querySelector(".o_herp_zoom_offer_settings");
        if (!form) {
            return;
        }
        const select = form.querySelector("select[name='tz']");
        select.addEventListener("change", function () {
            form.submit();
        });
        const params = new URLSearchParams(window.location.search);
        let browserZone = null;
        try {
            browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        } catch {
            browserZone = null;
        }
        if (!params.get("tz") && browserZone && browserZone !== select.value) {
            // Browsers may name the zone by an older alias (Chromium says Asia/Calcutta) that the
            // list does not hold: the server checks the name; the URL then has it, so no loop.
            if (!Array.from(select.options).some((option) => option.value === browserZone)) {
                select.add(new Option(browserZone, browserZone));
            }
            select.value = browserZone;
            form.submit();
        }
    });
})();
