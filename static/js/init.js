// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

initAll();

// List filters (hub/templatetags/filter_toggle.py): closed on a phone so that the list comes
// first (unless a filter is in error), open on a larger screen where there is room for both.
const wide = window.matchMedia("(min-width: 40.0625em)");
const openFiltersWhenWide = () => {
  for (const toggle of document.querySelectorAll("details[data-oh-filter-toggle]")) {
    toggle.open = wide.matches || !!toggle.querySelector(".govuk-form-group--error");
  }
};
openFiltersWhenWide();
wide.addEventListener("change", openFiltersWhenWide);
