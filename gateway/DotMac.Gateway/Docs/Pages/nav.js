// Adds DotMac's bar above Swagger UI: the REST APIs (this page) and the event catalog (/docs/events).
(function () {
  function bar(current) {
    var nav = document.createElement('nav');
    nav.className = 'dotmac-bar';
    nav.setAttribute('aria-label', 'DotMac documentation');
    nav.innerHTML = '<span class="brand">DotMac API</span>' +
      '<a href="/docs/"' + (current === 'rest' ? ' aria-current="page"' : '') + '>REST APIs</a>' +
      '<a href="/docs/events"' + (current === 'events' ? ' aria-current="page"' : '') + '>Event catalog (AsyncAPI)</a>';
    document.body.insertBefore(nav, document.body.firstChild);
  }
  window.dotmacDocsBar = bar;
  if (!document.getElementById('dotmac-events')) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { bar('rest'); });
    else bar('rest');
  }
})();
