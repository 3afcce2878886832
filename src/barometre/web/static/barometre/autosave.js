// Autosave of the respondent's answers: every change is sent to the server at once.
// Without this script the page still works: "Next page" posts the whole form.
// A failed save is retried with a growing delay, the page says what is not saved yet, and
// the browser warns before leaving while something is pending.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var url = form.dataset.saveUrl;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var banner = document.querySelector("[data-save-status]");
  var progress = document.querySelector("[data-progress]");
  var pending = {};   // field -> value waiting to be sent
  var inFlight = {};  // field -> true while a request is running
  var delay = {};     // field -> next retry delay in ms

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
    var waiting = Object.keys(pending).length + Object.keys(inFlight).length;
    var failing = Object.keys(delay).length;
    if (failing) {
      banner.textContent = form.dataset.msgPending;
      banner.dataset.state = "error";
    } else if (!waiting) {
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
        if (result.data.ok) {
          delete delay[field];
          setFieldStatus(field, form.dataset.msgSaved, "ok");
          updateProgress(result.data.answered, result.data.asked);
        } else {
          // Refused by the server: show why; retrying would not help.
          delete delay[field];
          setFieldStatus(field, result.data.error, "error");
        }
        refreshBanner();
        send(field);
      })
      .catch(function () {
        // Network or server down: keep the value and try again later.
        delete inFlight[field];
        if (!(field in pending)) pending[field] = value;
        delay[field] = Math.min((delay[field] || 1000) * 2, 30000);
        setFieldStatus(field, form.dataset.msgPending, "error");
        refreshBanner();
        setTimeout(function () { send(field); }, delay[field]);
      });
  }

  function queue(field, value) {
    pending[field] = value;
    if (!Object.keys(delay).length) {
      banner.textContent = form.dataset.msgSaving;
      banner.dataset.state = "saving";
    }
    send(field);
  }

  function valueOf(box) {
    var field = box.dataset.field;
    var special = box.querySelector('input[name="special:' + field + '"]:checked');
    if (special) return special.value;
    var radio = box.querySelector('input[type=radio][name="f:' + field + '"]:checked');
    if (radio) return radio.value;
    var boxes = box.querySelectorAll('input[type=checkbox]:checked');
    if (boxes.length) return Array.prototype.map.call(boxes, function (b) { return b.value; }).join("|");
    var text = box.querySelector('input[type=number], textarea');
    return text ? text.value.trim() : "";
  }

  function onChange(event) {
    var input = event.target;
    var box = input.closest("[data-field]");
    if (!box) return;
    var field = box.dataset.field;
    if (input.name === "special:" + field && input.checked) {
      // "Not applicable" / "Don't know" replace any other answer.
      box.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
      box.querySelectorAll("input[type=number], textarea").forEach(function (t) { t.value = ""; });
    } else if (input.type !== "radio" || input.name.indexOf("f:") === 0) {
      if (input.type === "checkbox" && input.checked) {
        var exclusive = input.hasAttribute("data-exclusive");
        box.querySelectorAll("input[type=checkbox]").forEach(function (b) {
          if (b !== input && (exclusive || b.hasAttribute("data-exclusive"))) b.checked = false;
        });
      }
      if (input.type !== "radio" || input.name.indexOf("f:") === 0) {
        box.querySelectorAll('input[name="special:' + field + '"]').forEach(function (r) { r.checked = false; });
      }
    }
    queue(field, valueOf(box));
  }

  form.addEventListener("change", onChange);
  var typing = {};
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.type !== "number" && input.tagName !== "TEXTAREA") return;
    clearTimeout(typing[input.name]);
    typing[input.name] = setTimeout(function () { onChange(event); }, 600);
  });
  window.addEventListener("online", function () {
    Object.keys(delay).forEach(function (field) { send(field); });
  });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length || Object.keys(inFlight).length || Object.keys(delay).length) {
      event.preventDefault();
      event.returnValue = form.dataset.msgLeave;
      return form.dataset.msgLeave;
    }
  });
})();
