// When an autosave (a form marked data-autosave, sent by htmx) is not saved and the
// server did not say why in the status line, say so there: htmx shows nothing for an
// error status (403, 500), nothing when the server cannot be reached, and would put the
// login page into the status line after a session has ended. The text stays in its box;
// the message asks the writer to copy it before reloading. The Swedish texts come from
// the server (gettext) as data attributes of this script element.
(function () {
  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;

  function autosaveForm(event) {
    var element = event.detail && event.detail.elt;
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function statusElement(form) {
    var selector = form.getAttribute("hx-target");
    return (selector && document.querySelector(selector)) || form.querySelector("[aria-live]");
  }

  function show(form, reason) {
    var status = statusElement(form);
    if (!status) return;
    var message = document.createElement("span");
    message.className = "errors";
    message.setAttribute("role", "alert");
    message.textContent = data.message.replace("%(reason)s", reason);
    status.replaceChildren(message);
  }

  function reasonFor(status) {
    if (status === 401) return data.loggedOut;
    if (status === 403) return data.refused;
    if (status >= 500) return data.serverError;
    return data.otherError.replace("%(status)s", String(status));
  }

  function isLoginPage(xhr) {
    if (!xhr || !xhr.responseURL) return false;
    try {
      return new URL(xhr.responseURL).pathname === data.loginPath;
    } catch (error) {
      return false;
    }
  }

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event);
    // A session that has ended answers the autosave with the login page (through a
    // redirect) unless the server says 401 first: never swap that page in.
    if (form && isLoginPage(event.detail.xhr)) {
      event.detail.shouldSwap = false;
      event.detail.isError = false;
      show(form, data.loggedOut);
    }
  });

  document.body.addEventListener("htmx:responseError", function (event) {
    var form = autosaveForm(event);
    if (form) show(form, reasonFor(event.detail.xhr ? event.detail.xhr.status : 0));
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (event) {
      var form = autosaveForm(event);
      if (form) show(form, data.unreachable);
    });
  });
})();
