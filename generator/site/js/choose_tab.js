/* global __md_get, AGENTS, LABELS */
(function (agents, labels, set) {
  // The same data for site.js (showThisDevicesTab).
  window.ggPlatforms = { agents: agents, labels: labels };
  try {
    // The first platform whose user-agent pattern matches, else the last one's.
    var device = agents[agents.length - 1][1];
    for (var a = 0; a < agents.length - 1; a++) {
      if (new RegExp(agents[a][0]).test(navigator.userAgent)) { device = agents[a][1]; break; }
    }
    var chosen = (typeof __md_get === "function" && __md_get("__tabs")) || [];
    var wanted = chosen.concat([labels[device]]);
    var inputs = {};
    set.querySelectorAll(":scope > .tabbed-labels > label").forEach(function (label) {
      inputs[label.textContent.trim()] = document.getElementById(label.htmlFor);
    });
    for (var i = 0; i < wanted.length; i++) {
      if (inputs[wanted[i]]) { inputs[wanted[i]].checked = true; break; }
    }
    window.ggShowScheme(set);
  } finally {
    document.documentElement.classList.remove("gg-choosing-tab");
  }
})(AGENTS, LABELS, document.currentScript.previousElementSibling);
