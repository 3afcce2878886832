// Conditional questions (docs/questionnaire-format.md, "Conditional questions"): a question
// or a choice with a condition is shown only while the answers it looks at meet it. The
// server renders the page with the saved answers (the form's data-relevance holds those of
// the other pages); this script follows the answers given on the page. A hidden question
// keeps its saved answer, which is not counted while it is hidden. Whatever is shown or
// hidden is said in the page's polite status line, so that a screen reader hears it.
// A choice ticked earlier that the answers now hide is kept, not counted: its question's
// note says so (`data-set-aside`), and a condition reads the answer without it (the counted
// answer, as the engine: a choice set aside never calls for a later question). A page of the strip whose questions are all conditional
// (`data-step-items`) is left out of it while none of them is shown; "Previous page" then
// leads to the page before it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-relevance]");
  if (!form) return;
  var saved = JSON.parse(form.dataset.relevance || "{}");
  // every conditional question's condition: those of other pages are evaluated here
  var conditions = JSON.parse(form.dataset.conditions || "{}");
  // every conditional choice's condition, by question and code (those of every page)
  var optionConditions = JSON.parse(form.dataset.optionConditions || "{}");
  var status = document.querySelector("[data-relevance-status]");

  function escaped(text) { return window.CSS && CSS.escape ? CSS.escape(text) : text; }

  // The answer a condition reads: "" for a question not asked, else the answer without the
  // choices whose own condition (on earlier questions) fails, set aside.
  function answerOf(itemId) {
    return counted(itemId, givenAnswer(itemId));
  }

  function givenAnswer(itemId) {
    var item = form.querySelector('[data-item="' + escaped(itemId) + '"]');
    // on another page: its saved answer, if its own condition (on earlier items) holds
    if (!item) return shown(itemId) ? saved[itemId] || "" : "";
    if (item.hidden) return "";  // a question not asked meets no condition
    var special = item.querySelector('input[name="special:' + escaped(itemId) + '"]:checked');
    if (special && special.value) return special.value;
    var radio = item.querySelector('input[name="f:' + escaped(itemId) + '"]:checked');
    if (radio) return radio.value;
    var ticks = item.querySelectorAll('input[name="multi:' + escaped(itemId) + '"]:checked');
    return Array.prototype.map.call(ticks, function (box) { return box.value; }).join("|");
  }

  function counted(itemId, answer) {
    var byCode = optionConditions[itemId];
    if (!byCode || !answer) return answer;
    return answer.split("|").map(function (t) { return t.trim(); }).filter(function (code) {
      var rule = byCode[code];
      return !rule || holds(rule);
    }).join("|");
  }

  function holds(rule) {
    var met = rule.clauses.map(function (clause) {
      var answer = answerOf(clause.item);
      var given = clause.ticks ? answer.split("|").map(function (t) { return t.trim(); }) : [answer];
      return given.some(function (code) { return clause.in.indexOf(code) >= 0; });
    });
    return rule.all ? met.every(Boolean) : met.some(Boolean);
  }

  // Whether a question is asked: on this page as shown, on another from its condition.
  function shown(itemId) {
    var item = form.querySelector('[data-item="' + escaped(itemId) + '"]');
    if (item) return !item.hidden;
    var rule = conditions[itemId];
    return !rule || holds(rule);
  }

  // The text of a choice's label (without its description), keeping its language.
  function choiceText(label) {
    var holder = label.querySelector(":scope > span") || label;
    var text = Array.prototype.filter.call(holder.childNodes, function (node) {
      return node.nodeType === Node.TEXT_NODE;
    }).map(function (node) { return node.textContent; }).join("").trim();
    var span = document.createElement("span");
    span.textContent = text;
    var lang = holder.getAttribute("lang") || label.getAttribute("lang");
    if (lang) span.lang = lang;
    return span;
  }

  // The note of each question with conditional choices: the choices ticked that are now
  // hidden, or the note hidden when there is none.
  function updateSetAside() {
    form.querySelectorAll("[data-set-aside]").forEach(function (note) {
      var item = note.closest("[data-item]");
      var seen = {};
      var labels = [];
      item.querySelectorAll("label[hidden]").forEach(function (label) {
        var input = label.querySelector("input");
        if (!input || !input.checked || seen[input.value]) return;
        seen[input.value] = true;  // a status table's rows share their choices
        labels.push(choiceText(label));
      });
      var choices = note.querySelector("[data-set-aside-choices]");
      choices.textContent = "";
      labels.forEach(function (span, index) {
        if (index) choices.appendChild(document.createTextNode(", "));
        choices.appendChild(span);
      });
      note.querySelector("[data-set-aside-one]").hidden = labels.length !== 1;
      note.querySelector("[data-set-aside-many]").hidden = labels.length < 2;
      note.hidden = !labels.length;
    });
  }

  // The strip of pages: a page whose questions all have a condition is listed while one of
  // them is shown. Returns how many pages came back and how many went.
  function updatePages() {
    var back = 0;
    var gone = 0;
    document.querySelectorAll("[data-step-items]").forEach(function (step) {
      var on = step.dataset.stepItems.split(" ").some(shown);
      if (step.hidden === !on) return;
      step.hidden = !on;
      if (on) back += 1; else gone += 1;
    });
    var previous = form.querySelector("a[data-previous]");
    var current = document.querySelector("[data-current-step]");
    if (previous && current) {
      // the nearest page before this one still listed
      var item = current.closest("li").previousElementSibling;
      while (item && item.hidden) item = item.previousElementSibling;
      if (item) previous.setAttribute("href", item.querySelector("a").getAttribute("href"));
      previous.hidden = !item;
    }
    // the last page's list of unanswered questions: one of another page goes while it is not
    // asked (those of this page follow their answers, autosave.js)
    document.querySelectorAll("[data-unanswered-item]").forEach(function (listed) {
      var itemId = listed.dataset.unansweredItem;
      if (form.querySelector('[data-item="' + escaped(itemId) + '"]')) return;
      listed.hidden = !shown(itemId);
    });
    var list = document.querySelector("[data-unanswered]");
    if (list) list.hidden = !list.querySelector("li:not([hidden])");
    return { back: back, gone: gone };
  }

  // In the page's order, which is the questionnaire's: a question hidden first hides those
  // that depend on it.
  function update(announce) {
    var revealed = 0;
    var concealed = 0;
    form.querySelectorAll("[data-relevant]").forEach(function (element) {
      var on = holds(JSON.parse(element.dataset.relevant));
      if (element.hidden === !on) return;
      element.hidden = !on;
      if (element.hasAttribute("data-item")) {
        if (on) revealed += 1; else concealed += 1;
      }
    });
    updateSetAside();
    var pages = updatePages();
    if (announce && status && (revealed || concealed)) {
      status.textContent = revealed ? form.dataset.msgRevealed : form.dataset.msgConcealed;
    } else if (announce && status && (pages.back || pages.gone)) {
      status.textContent = pages.back ? form.dataset.msgPageRevealed : form.dataset.msgPageConcealed;
    }
    // the page's state (complete or not) counts only the questions and choices shown
    if (announce) form.dispatchEvent(new CustomEvent("barometre:relevance"));
  }

  form.addEventListener("change", function () { update(true); });
  update(false);
})();
