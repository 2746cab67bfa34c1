// The information archive at the desk (S0-1 §4.1.2): as the clerk types what was asked, matching
// archive entries are listed under the form; picking one fills the answer, so the inquiry is
// recorded as answered at once. Keyboard: ArrowDown moves into the list, Enter picks.
(function () {
  var box = document.getElementById("info-suggest");
  var list = document.getElementById("info-suggestions");
  var byId = function (name) { return document.getElementById("new-" + name) || document.getElementById(name); };
  var subject = byId("subject");
  var answer = byId("answer");
  if (!box || !list || !subject || !answer) return;
  var timer = null;
  var last = "";

  function pick(entry) {
    answer.value = entry.phone ? entry.content + "（" + entry.phone + "）" : entry.content;
    box.hidden = true;
    answer.focus();
  }

  function show(items) {
    list.textContent = "";
    items.forEach(function (entry) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "info-pick";
      button.setAttribute("data-entry", entry.id);
      var title = document.createElement("strong");
      title.textContent = entry.title;
      button.appendChild(title);
      button.appendChild(document.createTextNode(" " + entry.content + (entry.phone ? " " + entry.phone : "")));
      button.addEventListener("click", function () { pick(entry); });
      li.appendChild(button);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }

  function search() {
    var q = subject.value.trim();
    if (q === last) return;
    last = q;
    if (q.length < 1) { show([]); return; }
    fetch(box.getAttribute("data-url") + "?q=" + encodeURIComponent(q), {credentials: "same-origin",
      headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {items: []}; })
      .then(function (data) { if (subject.value.trim() === q) show(data.items || []); })
      .catch(function () { show([]); });
  }

  subject.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  subject.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !box.hidden) {
      var first = list.querySelector("button");
      if (first) { event.preventDefault(); first.focus(); }
    }
  });
})();
