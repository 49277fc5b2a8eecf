// Actions that cannot be undone ask first. A form marked data-confirm="What will happen."
// opens a dialog with that sentence, the form's own (dangerous) button and "Avbryt"; only
// the dialog's button sends the form. Without JavaScript the form is sent at once, and the
// service refuses anything the rules do not allow. The Swedish texts come from the page.
(function () {
  function ask(form, submitter) {
    var dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    text.textContent = form.dataset.confirm;
    var actions = document.createElement("p");
    actions.className = "confirm-actions";
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger";
    yes.textContent = form.dataset.confirmYes || (submitter && submitter.textContent.trim()) || "OK";
    var no = document.createElement("button");
    no.type = "button";
    no.className = "secondary";
    no.textContent = form.dataset.confirmNo || "Avbryt";
    actions.append(yes, no);
    dialog.append(text, actions);
    document.body.append(dialog);
    no.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); if (submitter) submitter.focus(); });
    yes.addEventListener("click", function () {
      form.dataset.confirmed = "1";
      dialog.close();
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
    });
    dialog.showModal();
    no.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    if (typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    ask(form, event.submitter);
  });
})();
