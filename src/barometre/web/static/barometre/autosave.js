// Autosave of the respondent's answers: every change is sent to the server at once.
// Without this script the page still works: its buttons post the whole form.
// A save that fails for the network is retried with a growing delay; a save the server refuses
// shows why under the question; the banner says what is not saved; leaving the page waits
// for pending saves, and the browser warns before closing while something is unsaved.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var url = form.dataset.saveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var banner = document.querySelector("[data-save-status]");
  var progress = document.querySelector("[data-progress]");
  var pending = {};   // field -> value waiting to be sent
  var inFlight = {};  // field -> true while a request runs
  var retrying = {};  // field -> next retry delay (ms) after a network failure
  var refused = {};   // field -> true while the server refuses its current value
  var submitting = false;

  function count(set) { return Object.keys(set).length; }
  function busy() { return count(pending) + count(inFlight) + count(retrying) > 0; }

  function fieldBox(field) {
    return form.querySelector('[data-field="' + CSS.escape(field) + '"]');
  }

  function setFieldStatus(field, text, state) {
    var box = fieldBox(field);
    var status = box && box.querySelector("[data-field-status]");
    if (status) {
      status.textContent = text;
      status.dataset.state = state;
    }
  }

  function refreshBanner() {
    if (count(retrying)) {
      banner.textContent = form.dataset.msgPending;
      banner.dataset.state = "error";
    } else if (count(refused)) {
      banner.textContent = form.dataset.msgRefused;
      banner.dataset.state = "error";
    } else if (busy()) {
      banner.textContent = form.dataset.msgSaving;
      banner.dataset.state = "saving";
    } else {
      banner.textContent = form.dataset.msgAllSaved;
      banner.dataset.state = "ok";
    }
  }

  function updateProgress(answered, asked) {
    if (!progress) return;
    var bar = progress.querySelector("progress");
    bar.max = asked;
    bar.value = answered;
    var label = progress.querySelector("label");
    label.textContent = label.textContent.replace(/\d+(\D+)\d+/, answered + "$1" + asked);
  }

  function send(field) {
    if (inFlight[field] || !(field in pending)) return;
    var value = pending[field];
    delete pending[field];
    inFlight[field] = true;
    setFieldStatus(field, form.dataset.msgSaving, "saving");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf);
    body.append("field", field);
    body.append("value", value);
    fetch(url, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (result) {
        delete inFlight[field];
        delete retrying[field];
        if (result.data.ok) {
          delete refused[field];
          setFieldStatus(field, form.dataset.msgSaved, "ok");
          updateProgress(result.data.answered, result.data.asked);
        } else {
          // Refused by the server: say why; the previous answer stays saved.
          refused[field] = true;
          setFieldStatus(field, result.data.error, "error");
        }
        refreshBanner();
        send(field);
      })
      .catch(function () {
        // Network or server down: keep the value and try again later.
        delete inFlight[field];
        if (!(field in pending)) pending[field] = value;
        retrying[field] = Math.min((retrying[field] || 1000) * 2, 30000);
        setFieldStatus(field, form.dataset.msgPending, "error");
        refreshBanner();
        setTimeout(function () { send(field); }, retrying[field]);
      });
  }

  function queue(field, value) {
    pending[field] = value;
    refreshBanner();
    send(field);
  }

  function valueOf(box) {
    var field = box.dataset.field;
    var special = box.querySelector('input[name="special:' + field + '"]:checked');
    if (special && special.value) return special.value;
    var radio = box.querySelector('input[type=radio][name="f:' + field + '"]:checked');
    if (radio) return radio.value;
    var boxes = box.querySelectorAll("input[type=checkbox]:checked");
    if (boxes.length) return Array.prototype.map.call(boxes, function (b) { return b.value; }).join("|");
    var text = box.querySelector("input[type=text], textarea");
    return text ? text.value.trim() : "";
  }

  function chooseOwnAnswer(box, field) {
    var own = box.querySelector('input[name="special:' + field + '"][value=""]');
    if (own) own.checked = true;
  }

  function onChange(input) {
    var box = input.closest("[data-field]");
    if (!box) return;
    var field = box.dataset.field;
    if (input.name === "special:" + field) {
      if (input.value) {
        // "Not applicable" / "Don't know" replace any other answer.
        box.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
        box.querySelectorAll("input[type=text], textarea").forEach(function (t) { t.value = ""; });
      }
    } else {
      if (input.type === "checkbox" && input.checked) {
        var exclusive = input.hasAttribute("data-exclusive");
        box.querySelectorAll("input[type=checkbox]").forEach(function (b) {
          if (b !== input && (exclusive || b.hasAttribute("data-exclusive"))) b.checked = false;
        });
      }
      chooseOwnAnswer(box, field);
    }
    queue(field, valueOf(box));
  }

  form.addEventListener("change", function (event) { onChange(event.target); });
  var typing = {};
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.type !== "text" && input.tagName !== "TEXTAREA") return;
    clearTimeout(typing[input.name]);
    typing[input.name] = setTimeout(function () { onChange(input); }, 600);
  });
  window.addEventListener("online", function () {
    Object.keys(retrying).forEach(function (field) { send(field); });
  });

  // The form's own buttons post every answer of the page: nothing can be lost on that path.
  form.addEventListener("submit", function () { submitting = true; });
  // A link of the page waits (a few seconds at most) for the saves under way.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || !busy() || event.defaultPrevented) return;
    event.preventDefault();
    var started = Date.now();
    (function wait() {
      if (!busy() || Date.now() - started > 5000) {
        submitting = !busy();
        window.location.href = link.href;
      } else {
        setTimeout(wait, 100);
      }
    })();
  });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && (busy() || count(refused))) {
      event.preventDefault();
      event.returnValue = form.dataset.msgLeave;
      return form.dataset.msgLeave;
    }
  });
})();
