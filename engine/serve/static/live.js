// Follows the rule file on disk: polls /api/state and reloads the page when the assessment changed, so an officer
// who edits and saves the YAML in their own editor sees the new result (or its problems) without a click.
"use strict";
(function () {
  const meta = document.querySelector('meta[name="state-version"]');
  if (!meta) return;
  const shown = Number(meta.content);
  async function poll() {
    try {
      const response = await fetch("/api/state", { cache: "no-store" });
      if (response.ok) {
        const state = await response.json();
        if (state.version !== shown) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // the server stopped: keep what is shown
    }
    window.setTimeout(poll, 1500);
  }
  window.setTimeout(poll, 1500);
})();
