// The milestone form: show how the typed date is read, as it is typed (GET /api/v1/dates).
// Served from the app ('self' under the CSP); without it the form still saves and says why not.
(function () {
  "use strict";
  var output = document.getElementById("due-preview");
  var input = document.getElementById("due");
  if (!output || !input || !window.fetch) { return; }
  var timer = null;
  var asked = 0;

  function show(message, bad) {
    output.textContent = message;
    output.classList.toggle("error", bad);
  }

  function read() {
    var text = input.value;
    if (!text.trim()) { show("", false); return; }
    var query = new URLSearchParams({ text: text });
    if (output.dataset.reference) { query.set("reference", output.dataset.reference); }
    var mine = ++asked;
    fetch(output.dataset.endpoint + "?" + query.toString(), {
      headers: { Accept: "application/json" },
      credentials: "omit"
    })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (mine !== asked) { return; }  // a later keystroke has been sent since
        if (body.start) {
          var span = body.start === body.end ? body.start : body.start + " to " + body.end;
          show("Read as " + span + " (" + body.precision + ").", false);
        } else {
          show(body.message || "This date cannot be read.", true);
        }
      })
      .catch(function () { if (mine === asked) { show("", false); } });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(read, 250);
  });
  read();
})();
