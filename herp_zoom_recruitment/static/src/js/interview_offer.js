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
            const known = Array.from(select.options).some((option) => option.value === browserZone);
            if (known) {
                select.value = browserZone;
                form.submit();
            }
        }
    });
})();
