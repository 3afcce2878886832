// Conditional questions (docs/questionnaire-format.md, "Conditional questions"): a question
// or a choice with a condition is shown only while the answers it looks at meet it. The
// server renders the page with the saved answers (the form's data-relevance holds those of
// the other pages); this script follows the answers given on the page. A hidden question
// keeps its saved answer, which is not counted while it is hidden. Whatever is shown or
// hidden is said in the page's polite status line, so that a screen reader hears it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-relevance]");
  if (!form) return;
  var saved = JSON.parse(form.dataset.relevance || "{}");
  var status = document.querySelector("[data-relevance-status]");

  function escaped(text) { return window.CSS && CSS.escape ? CSS.escape(text) : text; }

  function answerOf(itemId) {
    var item = form.querySelector('[data-item="' + escaped(itemId) + '"]');
    if (!item) return saved[itemId] || "";  // on another page: its saved answer
    if (item.hidden) return "";  // a question not asked meets no condition
    var special = item.querySelector('input[name="special:' + escaped(itemId) + '"]:checked');
    if (special && special.value) return special.value;
    var radio = item.querySelector('input[name="f:' + escaped(itemId) + '"]:checked');
    if (radio) return radio.value;
    var ticks = item.querySelectorAll('input[name="multi:' + escaped(itemId) + '"]:checked');
    return Array.prototype.map.call(ticks, function (box) { return box.value; }).join("|");
  }

  function holds(rule) {
    var met = rule.clauses.map(function (clause) {
      var answer = answerOf(clause.item);
      var given = clause.ticks ? answer.split("|").map(function (t) { return t.trim(); }) : [answer];
      return given.some(function (code) { return clause.in.indexOf(code) >= 0; });
    });
    return rule.all ? met.every(Boolean) : met.some(Boolean);
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
    if (announce && status && (revealed || concealed)) {
      status.textContent = revealed ? form.dataset.msgRevealed : form.dataset.msgConcealed;
    }
  }

  form.addEventListener("change", function () { update(true); });
  update(false);
})();
