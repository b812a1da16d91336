// Optional conveniences; the page reads completely without them. Nothing is logged and nothing is fetched.
(function () {
  "use strict";

  // A filter box over every list marked with data-filter="<selector of its items>".
  document.querySelectorAll("[data-filter]").forEach(function (container) {
    var items = container.querySelectorAll(container.getAttribute("data-filter"));
    if (items.length < 2) {
      return;
    }
    var bar = document.createElement("div");
    bar.className = "controls";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter: id, title, file, band...";
    input.setAttribute("aria-label", "Filter");
    var shown = document.createElement("span");
    shown.className = "muted";
    bar.appendChild(input);
    bar.appendChild(shown);
    container.parentNode.insertBefore(bar, container);
    function apply() {
      var query = input.value.trim().toLowerCase();
      var count = 0;
      items.forEach(function (item) {
        var match = query === "" || item.textContent.toLowerCase().indexOf(query) !== -1;
        item.hidden = !match;
        if (match) {
          count += 1;
        }
      });
      shown.textContent = count + " of " + items.length + " shown";
    }
    input.addEventListener("input", apply);
    apply();
  });

  // Open or close every runbook of the roadmap at once.
  var roadmap = document.getElementById("roadmap");
  var runbooks = roadmap ? roadmap.querySelectorAll("details") : [];
  if (runbooks.length > 0) {
    var bar = document.createElement("div");
    bar.className = "controls";
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.textContent = "Open all runbooks";
    toggle.addEventListener("click", function () {
      var open = toggle.textContent.indexOf("Open") === 0;
      runbooks.forEach(function (details) {
        details.open = open;
      });
      toggle.textContent = open ? "Close all runbooks" : "Open all runbooks";
    });
    bar.appendChild(toggle);
    var table = roadmap.querySelector("table");
    if (table) {
      table.parentNode.insertBefore(bar, table);
    }
  }

  // Collapsed runbooks would not print: open them all first.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) {
      details.open = true;
    });
  });
})();
