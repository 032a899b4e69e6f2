// The auditor portal's only script: the search page and the evidence filter. Every page reads
// fine without it. Results are written with textContent and element properties only: no
// program text ever becomes markup.
"use strict";

(function () {
  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function matches(haystack, terms) {
    var text = haystack.toLowerCase();
    return terms.every(function (t) { return text.indexOf(t) !== -1; });
  }

  function search() {
    var list = document.getElementById("search-results");
    var status = document.getElementById("search-status");
    var input = document.getElementById("site-search");
    if (!list || !status || !input || !Array.isArray(globalThis.charterSearch)) {
      return;
    }
    var root = document.querySelector("link[rel=stylesheet]").getAttribute("href").replace(/assets\/portal\.css$/, "");
    var run = function () {
      var terms = words(input.value);
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      if (terms.length === 0) {
        status.textContent = "Type to search " + globalThis.charterSearch.length + " items.";
        return;
      }
      var found = globalThis.charterSearch.filter(function (e) {
        return matches(e.kind + " " + e.name + " " + e.title, terms);
      });
      var shown = found.slice(0, 200);
      shown.forEach(function (e) {
        var li = document.createElement("li");
        li.className = "result";
        li.dataset.kind = e.kind;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = e.kind;
        var a = document.createElement("a");
        a.href = root + e.url;
        var code = document.createElement("code");
        code.textContent = e.name;
        a.appendChild(code);
        var title = document.createElement("span");
        title.textContent = " " + e.title;
        li.appendChild(kind);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(a);
        li.appendChild(title);
        list.appendChild(li);
      });
      status.textContent = found.length + (found.length === 1 ? " result" : " results") +
        (found.length > shown.length ? " (the first " + shown.length + " shown)" : "") + ".";
    };
    var q = new URLSearchParams(window.location.search).get("q");
    if (q !== null) {
      input.value = q;
    }
    input.addEventListener("input", run);
    run();
  }

  function filters() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      var box = input.closest(".filter");
      var rows = document.querySelectorAll(input.dataset.filter);
      var status = document.getElementById(input.getAttribute("aria-describedby"));
      var run = function () {
        var terms = words(input.value);
        var shown = 0;
        rows.forEach(function (row) {
          var hit = matches(row.textContent, terms);
          row.hidden = !hit;
          if (hit) {
            shown += 1;
          }
        });
        if (status) {
          status.textContent = shown + " of " + rows.length + " rows shown.";
        }
      };
      if (box) {
        box.hidden = false;
      }
      input.addEventListener("input", run);
      run();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    search();
    filters();
  });
})();
