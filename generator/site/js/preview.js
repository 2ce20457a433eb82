/* global VERSION */
(function (seen) {
  var box = document.getElementById("guidegen-preview");
  var busy = document.getElementById("guidegen-busy");
  function show(status) {
    box.hidden = !status.problems.length;
    box.textContent = status.problems.length
      ? "guidegen: fix these, then save again\n\n" + status.problems.join("\n")
      : "";
    busy.hidden = !status.busy;
    busy.textContent = status.busy;
  }
  function poll() {
    fetch("STATUS", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (status.version !== seen) { location.reload(); return; }
        show(status);
        setTimeout(poll, 400);
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})(VERSION);
