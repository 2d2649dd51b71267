// Form helpers. Progressive enhancement only: every form works without this script.
//  - An error summary gets the focus when the page loads, so screen readers announce it.
//  - A submit button marked data-once ignores a second click while its form is being sent
//    (the server is idempotent anyway: a second signature or petition is never recorded).
//  - On the comment form, text selected in the provision fills the "quote" field.
//  - On the first stage of a new petition, choosing the addressee shows what follows from it.
(function () {
  'use strict';

  var summary = document.querySelector('[data-error-summary]');
  if (summary) {
    summary.focus();
  }

  document.querySelectorAll('form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var button = event.submitter;
      if (!button || !button.hasAttribute('data-once')) {
        return;
      }
      if (button.getAttribute('data-sent') === 'true') {
        event.preventDefault();
        return;
      }
      button.setAttribute('data-sent', 'true');
      button.setAttribute('aria-disabled', 'true');
      window.setTimeout(function () {
        button.removeAttribute('data-sent');
        button.removeAttribute('aria-disabled');
      }, 5000);
    });
  });

  var source = document.querySelector('[data-quote-source]');
  var target = document.querySelector('[data-quote-target]');
  if (source && target && window.getSelection) {
    var takeSelection = function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0) {
        return;
      }
      var range = selection.getRangeAt(0);
      if (!source.contains(range.commonAncestorContainer)) {
        return;
      }
      var text = selection.toString().replace(/\s+/g, ' ').trim();
      if (text) {
        target.value = text;
      }
    };
    source.addEventListener('mouseup', takeSelection);
    source.addEventListener('keyup', takeSelection);
    source.addEventListener('touchend', takeSelection);
  }

  var select = document.querySelector('[data-terms-select]');
  if (select) {
    var show = function () {
      document.querySelectorAll('[data-terms-for]').forEach(function (panel) {
        panel.hidden = panel.getAttribute('data-terms-for') !== select.value;
      });
    };
    select.addEventListener('change', show);
    show();
  }
})();
