// When an autosave (a form marked data-autosave, sent by htmx) is not saved and the
// server did not say why in the status line, say so there: htmx shows nothing for an
// error status (403, 500), nothing when the server cannot be reached, and would put the
// login page into the status line after a session has ended. The text stays in its box;
// the message asks the writer to copy it before reloading. The Swedish texts come from
// the server (gettext) as data attributes of this script element. And a save with the
// form's button waits for an autosave under way (see submitWhenIdle).
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

  // A save with the form's own button while an autosave of the same form is under way
  // (leaving a box sends one, and clicking the button leaves the box) waits for that
  // autosave's answer, and for any autosave queued behind it. Posted at once, the save
  // would carry the version the page had before the writer's own autosave, and the server
  // would refuse it as if someone else had saved meanwhile (the conflict page). When the
  // last autosave it waited for is not saved (an error, no contact, an ended session, the
  // time limit of templates/includes/autosave_form.html), the save is dropped: the status
  // line says why and the text stays in its box, where the server's error page, or the
  // login page, would lose it.
  var waiting = new WeakMap(); // form -> {submitter, failed} of the save that waits
  var releasing = null; // the form whose waiting save is being sent

  function busy(form) {
    return form.classList.contains("htmx-request");
  }

  function settle(form) {
    var save = waiting.get(form);
    if (!save || busy(form)) return; // a queued autosave has started: its answer decides
    waiting.delete(form);
    if (save.failed) return;
    releasing = form;
    try {
      if (save.submitter) form.requestSubmit(save.submitter);
      else form.requestSubmit();
    } finally {
      releasing = null;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || releasing === form) return;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    if (!waiting.has(form) && !busy(form)) return;
    event.preventDefault();
    waiting.set(form, { submitter: event.submitter, failed: false }); // pressed again: still one save
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event);
    var save = form && waiting.get(form);
    if (!save) return;
    save.failed = event.detail.successful !== true || isLoginPage(event.detail.xhr);
    // After the new version is swapped in, and after a queued autosave has started.
    setTimeout(function () {
      settle(form);
    }, 0);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (event) {
      var form = autosaveForm(event);
      if (form) show(form, data.unreachable);
    });
  });
})();
