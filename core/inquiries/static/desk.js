// The desk is typed, not clicked: Ctrl+Enter (Cmd+Enter) saves the form the cursor is in, also
// from a multi-line text box; in one-line fields Enter already does.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  var form = event.target.form || (event.target.closest ? event.target.closest("form") : null);
  if (!form) return;
  event.preventDefault();
  var button = form.querySelector("[data-default]");
  if (form.requestSubmit) {
    form.requestSubmit(button || undefined);
  } else {
    form.submit();
  }
});
