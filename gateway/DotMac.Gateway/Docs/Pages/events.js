// Renders the AsyncAPI 3.0 catalog (/api/v1/devtools/catalog/asyncapi.json): every message with its channel (the
// exchange), publisher, consumers, webhook type and payload fields. No library: the document is ours and regular.
(function () {
  'use strict';
  window.dotmacDocsBar && window.dotmacDocsBar('events');
  var list = document.getElementById('messages');
  var toc = document.getElementById('toc');
  var filter = document.getElementById('filter');
  var summary = document.getElementById('summary');

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function resolve(doc, ref) {
    return ref.replace(/^#\//, '').split('/').reduce(function (node, key) { return node && node[key]; }, doc);
  }

  function typeText(schema) {
    if (!schema) return 'any';
    var types = Array.isArray(schema.type) ? schema.type : [schema.type || (schema.enum ? 'enum' : 'object')];
    var text = types.filter(function (t) { return t !== 'null'; }).join(' | ');
    if (text === 'array' && schema.items) text = typeText(schema.items) + '[]';
    if (schema.format) text += ' (' + schema.format + ')';
    return text;
  }

  function fields(schema, prefix, rows) {
    var required = schema.required || [];
    Object.keys(schema.properties || {}).forEach(function (name) {
      var property = schema.properties[name];
      var types = Array.isArray(property.type) ? property.type : [property.type];
      rows.push([prefix + name, typeText(property), required.indexOf(name) >= 0 ? 'yes' : 'no', types.indexOf('null') >= 0 ? 'yes' : 'no']);
      if (property.properties) fields(property, prefix + name + '.', rows);
      if (property.items && property.items.properties) fields(property.items, prefix + name + '[].', rows);
    });
    return rows;
  }

  function render(doc) {
    var messages = doc.components.messages;
    var ids = Object.keys(messages).sort();
    summary.textContent = doc.info.title + ', version ' + doc.info.version + ': ' + ids.length + ' messages. ' + doc.info.description;
    ids.forEach(function (id) {
      var message = messages[id];
      var payload = resolve(doc, message.payload.$ref);
      var channel = doc.channels[id];
      var anchor = 'message-' + id.replace(/[^A-Za-z0-9]/g, '-');
      var details = [
        el('dt', {}, ['Channel']), el('dd', {}, [el('code', {}, [channel.address])]),
        el('dt', {}, ['Publisher']), el('dd', {}, [message['x-dotmac-publisher']]),
        el('dt', {}, ['Consumers']), el('dd', {}, [(message['x-dotmac-consumers'] || []).join(', ') || 'none yet']),
        el('dt', {}, ['Contract']), el('dd', {}, [el('code', {}, [message['x-dotmac-contract']])])
      ];
      if (message['x-dotmac-webhook-type']) details.push(el('dt', {}, ['Webhook type']), el('dd', {}, [el('code', {}, [message['x-dotmac-webhook-type']])]));
      var rows = fields(payload, '', []).map(function (r) { return el('tr', {}, r.map(function (c, i) { return el('td', {}, [i === 0 ? el('code', {}, [c]) : c]); })); });
      var table = el('table', {}, [
        el('caption', { class: 'visually-hidden' }, ['Payload of ' + message.name]),
        el('thead', {}, [el('tr', {}, ['Field', 'Type', 'Required', 'Nullable'].map(function (h) { return el('th', { scope: 'col' }, [h]); }))]),
        el('tbody', {}, rows)
      ]);
      var article = el('article', { id: anchor, 'data-kind': message['x-dotmac-kind'], 'data-search': (id + ' ' + (message['x-dotmac-webhook-type'] || '') + ' ' + message['x-dotmac-publisher'] + ' ' + (message['x-dotmac-consumers'] || []).join(' ')).toLowerCase() }, [
        el('h2', {}, [message.name, el('span', { class: 'kind ' + message['x-dotmac-kind'] }, [message['x-dotmac-kind']])]),
        el('p', {}, [message.summary]),
        el('dl', {}, details),
        table
      ]);
      list.appendChild(article);
      toc.appendChild(el('li', { 'data-for': anchor }, [el('a', { href: '#' + anchor }, [id])]));
    });
    apply();
  }

  function apply() {
    var text = filter.value.trim().toLowerCase();
    var kinds = Array.prototype.filter.call(document.querySelectorAll('input[name=kind]'), function (c) { return c.checked; }).map(function (c) { return c.value; });
    Array.prototype.forEach.call(list.children, function (article) {
      var shown = kinds.indexOf(article.getAttribute('data-kind')) >= 0 && (!text || article.getAttribute('data-search').indexOf(text) >= 0);
      article.hidden = !shown;
      var entry = toc.querySelector('[data-for="' + article.id + '"]');
      if (entry) entry.hidden = !shown;
    });
  }

  filter.addEventListener('input', apply);
  Array.prototype.forEach.call(document.querySelectorAll('input[name=kind]'), function (c) { c.addEventListener('change', apply); });
  fetch('/api/v1/devtools/catalog/asyncapi.json', { headers: { Accept: 'application/json' } })
    .then(function (r) { if (!r.ok) throw new Error('the catalog answered ' + r.status); return r.json(); })
    .then(render)
    .catch(function (e) { summary.textContent = 'The catalog could not be loaded: ' + e.message; summary.className = 'error'; });
})();
