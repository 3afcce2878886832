// The list of exports follows the exports under way, without reloading the page.
//
// The list ([data-exports-list]) is a polite live region. While an export is under way (the
// notice [data-exports-under-way] is in the list), this script fetches the same page every few
// seconds and puts the list it holds in place of this one: only the rows that changed when the
// same exports are listed, else the whole list. Nothing else of the page is touched: the form
// keeps what is typed in it, the focus and the reading position stay (WCAG 2.2.1, 2.2.2). It
// stops once no export is under way, or when the fetched page has no list (signed out...).
// Without this script the notice's "Refresh now" link reloads the page.
(function () {
  "use strict";
  var region = document.querySelector("[data-exports-list]");
  if (!region || !window.fetch || !window.DOMParser) return;
  var EVERY_MS = 3000; // while an export is under way
  var AT_MOST_MS = 60000; // after failures, the wait doubles up to this
  var wait = EVERY_MS;

  function underWay(root) {
    return root.querySelector("[data-exports-under-way]") !== null;
  }

  // The notice says the list follows by itself only where it does (this script runs).
  function sayItFollows() {
    var note = region.querySelector("[data-exports-follows]");
    if (note) note.hidden = false;
  }

  function ids(rows) {
    return Array.prototype.map.call(rows, function (row) { return row.dataset.export; }).join(" ");
  }

  // `node` replaced by `other` (null: removed); the focus, if it was inside, goes to the list.
  function put(node, other) {
    var hadFocus = node.contains(document.activeElement);
    if (other) node.replaceWith(document.importNode(other, true));
    else node.remove();
    return hadFocus;
  }

  function update(fresh) {
    var lostFocus = false;
    var rows = region.querySelectorAll("tr[data-export]");
    var freshRows = fresh.querySelectorAll("tr[data-export]");
    if (rows.length && ids(rows) === ids(freshRows)) {
      // the same exports: the rows that changed (status, progress, download link)
      Array.prototype.forEach.call(rows, function (row, i) {
        if (row.outerHTML !== freshRows[i].outerHTML) lostFocus = put(row, freshRows[i]) || lostFocus;
      });
      var note = region.querySelector("[data-exports-under-way]");
      var freshNote = fresh.querySelector("[data-exports-under-way]");
      if (note && !freshNote) lostFocus = put(note, null) || lostFocus;
      else if (!note && freshNote) region.insertBefore(document.importNode(freshNote, true), region.firstChild);
    } else if (region.innerHTML !== fresh.innerHTML) {
      lostFocus = region.contains(document.activeElement);
      region.innerHTML = fresh.innerHTML;
    }
    sayItFollows();
    if (lostFocus) {
      var scroll = region.querySelector(".table-scroll");
      if (scroll) scroll.focus({ preventScroll: true });
    }
  }

  function later() {
    window.setTimeout(poll, wait);
  }

  function failed() {
    wait = Math.min(wait * 2, AT_MOST_MS);
    later();
  }

  function poll() {
    if (document.hidden) return later(); // a tab in the background asks for nothing
    fetch(window.location.pathname + window.location.search, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (text) {
      var fresh = new DOMParser().parseFromString(text, "text/html").querySelector("[data-exports-list]");
      if (!fresh) return; // another page came back (signed out): the link is still there
      wait = EVERY_MS;
      update(fresh);
      if (underWay(region)) later();
    }).catch(failed);
  }

  if (underWay(region)) {
    sayItFollows();
    later();
  }
})();
