// Keeps a petition's signature counter live. Progressive enhancement only: without this script
// (or without EventSource) the page shows the count it was rendered with.
(function () {
  'use strict';
  var panel = document.querySelector('[data-live-url]');
  if (!panel || typeof window.EventSource !== 'function') {
    return;
  }
  var count = panel.querySelector('[data-live-count]');
  var label = panel.querySelector('[data-live-label]');
  var bar = panel.querySelector('progress');
  var source = new window.EventSource(panel.getAttribute('data-live-url'));
  source.addEventListener('count', function (event) {
    var data;
    try {
      data = JSON.parse(event.data);
    } catch (ignored) {
      return;
    }
    if (count && typeof data.text === 'string') {
      count.textContent = data.text;
    }
    if (label && typeof data.label === 'string') {
      label.textContent = data.label;
    }
    if (bar && typeof data.threshold === 'number' && data.threshold > 0) {
      bar.max = data.threshold;
      bar.value = Math.min(Math.max(data.signatures, 0), data.threshold);
      bar.textContent = data.label;
    }
  });
  // Closed pages stop listening; the browser reconnects by itself after network errors.
  window.addEventListener('pagehide', function () {
    source.close();
  });
})();
