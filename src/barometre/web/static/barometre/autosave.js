// Autosave of the respondent's answers, with an outbox that loses nothing.
//
// Every change goes first into an outbox kept in the browser's local storage (it survives a
// reload, a closed tab, a crash and the network going away), then to the server, one answer
// at a time and in the order given. Each write states the version of the answer it was based
// on; the server refuses a write based on an older version (another tab or device changed the
// answer): the page then shows the newer answer and says so. A typed figure is kept at once
// and sent after a short pause or when the field is left. "Next page", "Send" and the page's
// links wait until the outbox is empty, and say so while they wait. Without this script the
// page still works: its buttons post the whole form, and the server writes only what changed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var msg = form.dataset;
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var banner = document.querySelector("[data-save-status]");
  // Beside the buttons too, where the eyes are when "Next page" has to wait.
  var nearButtons = form.querySelector("[data-actions-status]");
  var progress = document.querySelector("[data-progress]");
  // The wave closed: said at once, where it is seen (a sticky alert), not after "Next page".
  var closedAlert = document.querySelector("[data-closed-alert]");
  // The current page in the strip of pages: complete or not, as the answers go.
  var currentStep = document.querySelector("[data-current-step]");
  // One outbox per tab (two tabs never overwrite each other's), named after the link; the
  // outbox of a tab that was closed or crashed (no sign of life for a while) is adopted.
  var outboxPrefix = "barometre.outbox." + msg.outbox + ".";
  var ALIVE_MS = 5000;
  var ADOPT_AFTER_MS = 15000;
  var TYPING_PAUSE = 600; // ms without typing before a figure or a text is sent

  var session = tabSession();
  var storeKey = outboxPrefix + (session || "tab");
  var sessionInput = form.querySelector("input[name=session]");
  if (sessionInput) sessionInput.value = session;

  // [{field, value, base, hold, sent}] in the order the answers were given; `base` is the
  // version the change was based on (null: the outcome of the earlier entry of that field),
  // `sent` says it left at least once (its reply may have been lost: never merged into).
  var outbox = loadOutbox();
  var versions = {};         // field -> version of the stored answer this page knows
  var refused = {};          // field -> true while the server refuses the value shown
  var inFlight = null;       // the outbox entry being sent
  var trouble = null;        // null, "network", "unavailable" or a message (link problem)
  var retryDelay = 0;
  var timer = null;          // the retry after a failure
  var holdTimer = null;      // the end of a typing pause
  var whenSaved = null;      // what to do once the outbox is empty (next page, send, a link)
  var leaving = false;
  var posting = false;       // the page is being posted: once at a time
  var offPage = false;       // an answer of another page was changed elsewhere or refused
  var waveClosed = false;    // nothing more can be saved: the outbox keeps what is given

  // ---- the page's fields -------------------------------------------------------------------
  function boxOf(field) {
    return form.querySelector('[data-field="' + CSS.escape(field) + '"]');
  }

  function fieldBoxes() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
  }

  function setVersion(field, version) {
    versions[field] = version;
    var box = boxOf(field);
    if (!box) return;
    box.dataset.version = String(version);
    var hidden = form.querySelector('input[name="version:' + CSS.escape(field) + '"]');
    if (hidden) hidden.value = String(version);
  }

  // A choice shown: not on a label its condition hides (relevance.js).
  function offered(input) {
    var label = input.closest("label");
    return !(label && label.hidden);
  }

  // The answer in the box, as saved: a choice ticked earlier that a condition now hides is
  // kept (nothing typed is lost). `counted`: only what counts, as the server counts it — no
  // answer for a question not asked (hidden), no hidden choice.
  function valueOf(box, counted) {
    var field = box.dataset.field;
    if (counted && box.closest("[data-item][hidden]")) return "";
    var special = box.querySelector('input[name="special:' + CSS.escape(field) + '"]:checked');
    if (special && special.value) return special.value;
    if (box.hasAttribute("data-path")) return pathWalk(box).codes.join("|");
    var radio = box.querySelector('input[type=radio][name="f:' + CSS.escape(field) + '"]:checked');
    if (radio) return !counted || offered(radio) ? radio.value : "";
    var ticked = Array.prototype.filter.call(box.querySelectorAll("input[type=checkbox]:checked"), function (b) {
      return !counted || offered(b);
    });
    if (ticked.length) return ticked.map(function (b) { return b.value; }).join("|");
    var text = box.querySelector("input[type=text], textarea");
    return text ? text.value.trim() : "";
  }

  // Show `value` in the box, whatever the kind of question.
  function showValue(box, value) {
    var field = box.dataset.field;
    var special = value === "NA" || value === "DK" ? value : "";
    var radios = box.querySelectorAll('input[type=radio][name="f:' + CSS.escape(field) + '"]');
    Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === value; });
    var ticks = special ? [] : value.split("|");
    box.querySelectorAll("input[type=checkbox]").forEach(function (b) {
      b.checked = ticks.indexOf(b.value) >= 0;
    });
    box.querySelectorAll("input[type=text], textarea").forEach(function (t) {
      t.value = special ? "" : value;
    });
    // "My answer above" is ticked only for an answer given above, never for no answer
    var specials = box.querySelectorAll('input[name="special:' + CSS.escape(field) + '"]');
    Array.prototype.forEach.call(specials, function (r) { r.checked = value !== "" && r.value === special; });
    if (box.hasAttribute("data-path")) showPath(box, special ? "" : value);
  }

  // ---- path items: successive questions, each shown once the answers lead to it ------------
  // A path's answer is its steps' codes joined by "|". Walking from the first step, a chosen
  // option leads to the step of its data-next, or ends the path (no data-next).
  function pathSteps(box) {
    return Array.prototype.slice.call(box.querySelectorAll("[data-step]"));
  }

  function pathWalk(box) {
    var steps = pathSteps(box);
    var byId = {};
    steps.forEach(function (step) { byId[step.dataset.step] = step; });
    var codes = [];
    var reached = [];
    var complete = false; // the last answer ends the path
    var step = steps[0];
    while (step && reached.indexOf(step) < 0) {
      reached.push(step);
      var picked = step.querySelector("input[type=radio]:checked");
      if (!picked) break;
      codes.push(picked.value);
      complete = !picked.dataset.next;
      step = picked.dataset.next ? byId[picked.dataset.next] : null;
    }
    return { codes: codes, reached: reached, complete: complete };
  }

  // A path item answered only part of the way (an answer that ends it still to give).
  function pathStopped(box) {
    if (!box.hasAttribute("data-path")) return false;
    var special = box.querySelector('input[name="special:' + CSS.escape(box.dataset.field) + '"]:checked');
    if (special && special.value) return false;
    return !pathWalk(box).complete;
  }

  // Steps not reached are hidden and their answers dropped (an earlier answer changed); a step
  // that appears after an answer is announced to screen readers (focus stays on the answer).
  function updatePath(box, announce) {
    var walk = pathWalk(box);
    var appeared = null;
    pathSteps(box).forEach(function (step) {
      var on = walk.reached.indexOf(step) >= 0;
      if (on && step.hidden && !appeared) appeared = step;
      step.hidden = !on;
      if (!on) step.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
    });
    var live = box.querySelector("[data-path-live]");
    if (live && announce && appeared) {
      var legend = appeared.querySelector("legend");
      // "Next question:" is in the page's language; the step's label may be in the
      // questionnaire's default language (no translation): it keeps its lang, read as such
      var label = document.createElement("span");
      label.textContent = legend ? legend.textContent : "";
      if (legend && legend.lang) label.lang = legend.lang;
      live.textContent = live.dataset.msgNext + " ";
      live.appendChild(label);
    }
  }

  function showPath(box, value) {
    var codes = value ? value.split("|") : [];
    pathSteps(box).forEach(function (step) {
      step.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
    });
    var steps = pathSteps(box);
    var byId = {};
    steps.forEach(function (step) { byId[step.dataset.step] = step; });
    var step = steps[0];
    for (var i = 0; i < codes.length && step; i++) {
      var code = codes[i].trim();
      var radio = Array.prototype.filter.call(step.querySelectorAll("input[type=radio]"), function (r) {
        return r.value === code;
      })[0];
      if (!radio) break;
      radio.checked = true;
      step = radio.dataset.next ? byId[radio.dataset.next] : null;
    }
    updatePath(box, false);
  }

  function setFieldStatus(field, text, state) {
    var box = boxOf(field);
    var status = box && box.querySelector("[data-field-status]");
    if (status) {
      status.textContent = text;
      status.dataset.state = state;
    }
  }

  // ---- the outbox --------------------------------------------------------------------------
  function readStored(key) {
    try {
      var stored = JSON.parse(window.localStorage.getItem(key) || "null");
      if (Array.isArray(stored)) return { at: 0, entries: stored };
      return stored && Array.isArray(stored.entries) ? stored : null;
    } catch (e) {
      return null;
    }
  }

  function loadOutbox() {
    var own = readStored(storeKey);
    return own ? own.entries : [];
  }

  // Take in the outboxes of tabs gone quiet (closed, crashed), after this tab's own entries.
  function adoptOrphans() {
    var adopted = false;
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (!key || key === storeKey || key.indexOf(outboxPrefix) !== 0) continue;
        var other = readStored(key);
        if (other && Date.now() - (other.at || 0) < ADOPT_AFTER_MS) continue;
        window.localStorage.removeItem(key);
        (other ? other.entries : []).forEach(function (entry) {
          entry.hold = 0;
          outbox.push(entry);
          adopted = true;
        });
      }
    } catch (e) { /* no storage: nothing to adopt */ }
    if (adopted) {
      saveOutbox();
      pump();
    }
  }

  function saveOutbox(released) {
    try {
      if (outbox.length) {
        // `at` 0: the tab is going away and another tab of the link may send these at once
        var at = released ? 0 : Date.now();
        window.localStorage.setItem(storeKey, JSON.stringify({ at: at, entries: outbox }));
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch (e) {
      // Storage full or forbidden (some private modes): the outbox still lives in memory and
      // the page warns before it is left while answers are unsent.
    }
  }

  function tabSession() {
    try {
      var id = window.sessionStorage.getItem("barometre.session");
      if (!id) {
        var bytes = new Uint8Array(8);
        window.crypto.getRandomValues(bytes);
        id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
        window.sessionStorage.setItem("barometre.session", id);
      }
      return id;
    } catch (e) {
      return "";
    }
  }

  function pendingFor(field) {
    return outbox.some(function (entry) { return entry.field === field; });
  }

  // Keep a change: it replaces a change of the same field that has not left yet; after one
  // that has left (its reply may be lost), it is based on that one's outcome.
  function keep(field, value, hold) {
    var waiting = null;
    var earlier = false;
    outbox.forEach(function (entry) {
      if (entry.field !== field) return;
      earlier = true;
      waiting = entry.sent || entry === inFlight ? null : entry;
    });
    var holdUntil = hold ? Date.now() + TYPING_PAUSE : 0;
    if (waiting) {
      waiting.value = value;
      waiting.hold = holdUntil;
    } else {
      outbox.push({ field: field, value: value, base: earlier ? null : (versions[field] || 0), hold: holdUntil, sent: false });
    }
    delete refused[field];
    saveOutbox();
    setFieldStatus(field, waveClosed ? msg.msgClosed : msg.msgSaving, waveClosed ? "error" : "saving");
    refresh();
    pump();
  }

  function release(field) {
    outbox.forEach(function (entry) { if (entry.field === field) entry.hold = 0; });
    pump();
  }

  function drop(entry) {
    var at = outbox.indexOf(entry);
    if (at >= 0) outbox.splice(at, 1);
    saveOutbox();
  }

  // ---- sending -----------------------------------------------------------------------------
  function pump() {
    if (inFlight || timer || trouble && trouble !== "network" && trouble !== "unavailable") return;
    var entry = outbox[0];
    if (!entry) {
      refresh();
      if (whenSaved) {
        var next = whenSaved;
        whenSaved = null;
        next();
      }
      return;
    }
    var wait = (entry.hold || 0) - Date.now();
    clearTimeout(holdTimer);
    if (wait > 0) {
      holdTimer = setTimeout(pump, wait); // a figure being typed: sent after the pause
      return;
    }
    if (entry.base === null) entry.base = versions[entry.field] || 0;
    inFlight = entry;
    entry.sent = true;
    saveOutbox();
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfInput.value);
    body.append("field", entry.field);
    body.append("value", entry.value);
    body.append("version", String(entry.base));
    body.append("session", session);
    // keepalive: a save under way when the page is left still reaches the server
    fetch(msg.saveUrl, { method: "POST", body: body, credentials: "same-origin", keepalive: true })
      .then(function (response) {
        return response.json().then(
          function (data) { return { status: response.status, data: data }; },
          function () { return { status: response.status, data: null }; }
        );
      })
      .then(function (reply) { inFlight = null; answered(entry, reply.status, reply.data); })
      .catch(function () { inFlight = null; later("network"); });
  }

  function answered(entry, status, data) {
    var field = entry.field;
    if (status === 200 && data && data.ok) {
      drop(entry);
      setVersion(field, data.version);
      outbox.forEach(function (e) { if (e.field === field && e.base === null) e.base = data.version; });
      saveOutbox();
      setFieldStatus(field, msg.msgSaved, "ok");
      updateProgress(data.answered, data.asked, data.progress);
      recovered();
    } else if (status === 409 && data && data.conflict) {
      // Changed elsewhere: the newer answer stays; the page shows it and says so.
      outbox = outbox.filter(function (e) { return e.field !== field; });
      saveOutbox();
      setVersion(field, data.version);
      var box = boxOf(field);
      if (box) showValue(box, data.value);
      else offPage = true; // an answer of another page: said in the banner
      setFieldStatus(field, data.error, "conflict");
      recovered();
    } else if (status === 400 && data && data.closed) {
      // The wave closed while the page was open: the answer stays in the outbox, on this
      // device, like every later one; the page says so at once.
      announceClosed();
      return;
    } else if (status === 400 && data) {
      // Refused by a rule of the questionnaire: say why; the stored answer stays.
      drop(entry);
      if (boxOf(field)) refused[field] = true;
      else offPage = true;
      setFieldStatus(field, data.error, "error");
      recovered();
    } else if (status === 403) {
      // The page's security token is stale: take a fresh one, then try again.
      catchUp().then(function () { later("unavailable"); });
      return;
    } else if (status === 404 && data) {
      trouble = data.error; // the link expired or was revoked: keep the outbox, stop
      refresh();
      return;
    } else {
      later("unavailable"); // the server or its database is unavailable for a moment
      return;
    }
    refresh();
    pump();
  }

  function announceClosed() {
    waveClosed = true;
    trouble = msg.msgClosed; // stops the sending; the outbox is kept
    if (closedAlert) {
      closedAlert.textContent = msg.msgClosed;
      closedAlert.hidden = false;
    }
    outbox.forEach(function (entry) { setFieldStatus(entry.field, msg.msgClosed, "error"); });
    refresh();
  }

  function recovered() {
    trouble = null;
    retryDelay = 0;
  }

  function later(reason) {
    trouble = reason;
    retryDelay = Math.min(Math.max(retryDelay * 2, 1000), 15000);
    outbox.forEach(function (entry) {
      setFieldStatus(entry.field, reason === "network" ? msg.msgKept : msg.msgUnavailable, "error");
    });
    refresh();
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; pump(); }, retryDelay);
  }

  function refresh() {
    var unsent = outbox.length + (inFlight && outbox.indexOf(inFlight) < 0 ? 1 : 0);
    if (trouble === "network") show(msg.msgKept, "error");
    else if (trouble === "unavailable") show(msg.msgUnavailable, "error");
    else if (trouble) show(trouble, "error");
    else if (Object.keys(refused).length) show(msg.msgRefused, "error");
    else if (offPage && !unsent) show(msg.msgOffPage, "conflict");
    else if (whenSaved && unsent) show(msg.msgWaiting, "saving");
    else if (unsent) show(msg.msgSaving, "saving");
    else {
      show(msg.msgAllSaved, "ok");
      updatePageState();
    }
  }

  // Once every answer is saved, what the page shows is what is stored: the current page's
  // step says complete or not, and the last page's list drops the questions now answered.
  function updatePageState() {
    var complete = true;
    var required = false;
    form.querySelectorAll("[data-item][data-required]").forEach(function (item) {
      // a conditional question not asked (hidden, relevance.js) waits for no answer
      if (!item.hidden) required = true;
      // an answer made only of choices now hidden is kept, but is no answer
      var given = item.hidden || Array.prototype.every.call(item.querySelectorAll("[data-field]"), function (box) {
        return valueOf(box, true) !== "" && !refused[box.dataset.field] && !pathStopped(box);
      });
      if (!given) complete = false;
      var listed = document.querySelector('[data-unanswered-item="' + CSS.escape(item.dataset.item) + '"]');
      if (listed) listed.hidden = given;
    });
    var list = document.querySelector("[data-unanswered]");
    if (list) list.hidden = !list.querySelector("li:not([hidden])");
    // a page with no question to answer (open questions only, or all hidden) stays as is
    if (!currentStep || !required) return;
    var state = complete ? "complete" : "incomplete";
    if (currentStep.dataset.state === state) return;
    currentStep.dataset.state = state;
    var spoken = currentStep.querySelector("[data-spoken]");
    if (spoken) spoken.textContent = complete ? currentStep.dataset.spokenComplete : currentStep.dataset.spokenIncomplete;
  }

  function show(text, state) {
    banner.textContent = text;
    banner.dataset.state = state;
    if (nearButtons) {
      nearButtons.hidden = !(whenSaved && state !== "ok");
      nearButtons.textContent = text;
      nearButtons.dataset.state = state;
    }
  }

  function updateProgress(answeredCount, asked, text) {
    if (!progress || answeredCount === undefined) return;
    var bar = progress.querySelector("progress");
    bar.max = asked;
    bar.value = answeredCount;
    var label = progress.querySelector("label");
    // the server's words: the plural and the figures as the reader writes them
    if (text) label.textContent = text;
  }

  // ---- catching up with another tab or device ----------------------------------------------
  function catchUp() {
    return fetch(msg.stateUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || !data.ok) return;
        if (data.csrf) csrfInput.value = data.csrf;
        if (data.submitted) { window.location.reload(); return; }
        if (data.closed && !waveClosed) announceClosed();
        fieldBoxes().forEach(function (box) {
          var field = box.dataset.field;
          var stored = data.fields[field] || ["", 0];
          // only a newer version: a reply that overtook a later save must not undo it
          if (pendingFor(field) || stored[1] <= (versions[field] || 0)) return;
          showValue(box, stored[0]);
          setVersion(field, stored[1]);
          setFieldStatus(field, msg.msgUpdated, "conflict");
        });
        // the conditional questions follow the answers changed elsewhere (relevance.js)
        form.dispatchEvent(new Event("change"));
        updateProgress(data.answered, data.asked, data.progress);
      })
      .catch(function () { /* offline: the outbox will say so when it tries */ });
  }

  // ---- events ------------------------------------------------------------------------------
  function onChange(input, typing) {
    var box = input.closest("[data-field]");
    if (!box) return;
    var field = box.dataset.field;
    if (input.name === "special:" + field) {
      if (input.value) {
        // "Not applicable" / "Don't know" replace any other answer.
        box.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = false; });
        box.querySelectorAll("input[type=text], textarea").forEach(function (t) { t.value = ""; });
        box.querySelectorAll("[data-step] input[type=radio]").forEach(function (r) { r.checked = false; });
      }
    } else {
      if (input.type === "checkbox" && input.checked) {
        var exclusive = input.hasAttribute("data-exclusive");
        box.querySelectorAll("input[type=checkbox]").forEach(function (b) {
          if (b !== input && (exclusive || b.hasAttribute("data-exclusive"))) b.checked = false;
        });
      }
      var own = box.querySelector('input[name="special:' + CSS.escape(field) + '"][value=""]');
      if (own) own.checked = true;
      if (own && valueOf(box) === "") own.checked = false; // everything above taken back
    }
    if (box.hasAttribute("data-path")) updatePath(box, true);
    keep(field, valueOf(box), typing);
  }

  function isTyped(input) {
    return input.type === "text" || input.tagName === "TEXTAREA";
  }

  form.addEventListener("input", function (event) {
    if (isTyped(event.target)) onChange(event.target, true);
  });
  form.addEventListener("change", function (event) {
    if (isTyped(event.target)) {
      var box = event.target.closest("[data-field]");
      if (box) release(box.dataset.field);
    } else {
      onChange(event.target, false);
    }
  });
  form.addEventListener("focusout", function (event) {
    var box = isTyped(event.target) && event.target.closest("[data-field]");
    if (box) release(box.dataset.field);
  });

  // A question or a choice shown or hidden (relevance.js) changes what the page needs; said
  // once every answer is saved, as after a save.
  form.addEventListener("barometre:relevance", function () {
    if (!outbox.length && !inFlight && !trouble) updatePageState();
  });

  window.addEventListener("online", function () {
    clearTimeout(timer);
    timer = null;
    retryDelay = 0;
    pump();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      catchUp();
    } else {
      outbox.forEach(function (entry) { entry.hold = 0; });
      saveOutbox();
      pump();
    }
  });
  window.addEventListener("pageshow", function (event) { if (event.persisted) catchUp(); });
  window.addEventListener("pagehide", function () { saveOutbox(true); });
  window.addEventListener("focus", catchUp);

  // "Next page" and "Send": first every answer saved, then the page is posted. Posting it
  // through fetch keeps the page when the network is gone instead of the browser's error page.
  form.addEventListener("submit", function (event) {
    if (leaving) return;
    event.preventDefault();
    if (posting || whenSaved) return; // already on its way: a second click does nothing
    var submitter = event.submitter;
    outbox.forEach(function (entry) { entry.hold = 0; });
    whenSaved = function () { post(submitter); };
    refresh();
    pump();
  });

  function post(submitter) {
    posting = true;
    var body = new FormData(form);
    if (submitter && submitter.name) body.append(submitter.name, submitter.value);
    show(msg.msgSaving, "saving");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.status >= 500) throw new Error("unavailable");
        leaving = true;
        if (response.redirected) {
          window.location.assign(response.url);
        } else {
          // The server has something to say on this page (a refused or conflicting answer):
          // post it for real so that the browser shows the server's page.
          if (submitter && submitter.name) {
            var hidden = document.createElement("input");
            hidden.type = "hidden";
            hidden.name = submitter.name;
            hidden.value = submitter.value;
            form.appendChild(hidden);
          }
          form.submit();
        }
      })
      .catch(function () {
        posting = false;
        later(navigator.onLine === false ? "network" : "unavailable");
        whenSaved = function () { post(submitter); };
      });
  }

  // A link of the page (previous page, another page) waits for the outbox too.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || link.target) return;
    if (!outbox.length && !inFlight) return;
    event.preventDefault();
    outbox.forEach(function (entry) { entry.hold = 0; });
    whenSaved = function () { leaving = true; window.location.href = link.href; };
    refresh();
    pump();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!leaving && (outbox.length || inFlight)) {
      saveOutbox();
      event.preventDefault();
      event.returnValue = msg.msgLeave;
      return msg.msgLeave;
    }
  });

  // ---- start: the page's versions, then whatever an earlier visit could not send ------------
  if (closedAlert && !closedAlert.hidden) { // closed before the page was opened
    waveClosed = true;
    trouble = msg.msgClosed;
  }
  fieldBoxes().forEach(function (box) {
    versions[box.dataset.field] = parseInt(box.dataset.version || "0", 10) || 0;
  });
  form.querySelectorAll("[data-path]").forEach(function (box) {
    var note = box.querySelector("[data-path-note]");
    if (note) note.hidden = true; // the note is for a page without JavaScript
    updatePath(box, false);
  });
  outbox.forEach(function (entry) {
    var box = boxOf(entry.field);
    if (box) {
      showValue(box, entry.value);
      setFieldStatus(entry.field, msg.msgSaving, "saving");
    }
    entry.hold = 0;
  });
  adoptOrphans();
  setInterval(function () {
    if (outbox.length) saveOutbox(); // a sign of life: this tab's outbox is not adopted
    adoptOrphans();
  }, ALIVE_MS);
  refresh();
  pump();
})();
