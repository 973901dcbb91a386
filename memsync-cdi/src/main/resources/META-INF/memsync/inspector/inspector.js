// memsync inspector: the live document as a tree, the peers, the change feed and a patch box.
// Served at <base>/_inspector by the server(port) listener and the JAX-RS resources; talks only to <base>.
(function () {
  'use strict';
  var base = location.pathname.replace(/\/_inspector\/?$/, '');
  var $ = function (id) { return document.getElementById(id); };
  var doc = null;            // the document as last known
  var version = -1;          // its version
  var collapsed = new Set(); // JSON Pointers of collapsed containers
  var source = null;

  var token = (location.hash.match(/[#&]token=([^&]+)/) || [])[1];
  if (token) {
    $('patch-token').value = decodeURIComponent(token);
    history.replaceState(null, '', location.pathname + location.search); // keep the token out of the address bar
  }

  // ---------------------------------------------------------------- JSON Pointer / JSON Patch (RFC 6901 / 6902)
  function parse(pointer) {
    if (pointer === '') { return []; }
    return pointer.substring(1).split('/').map(function (s) { return s.replace(/~1/g, '/').replace(/~0/g, '~'); });
  }
  function pointerOf(tokens) {
    return tokens.map(function (t) { return '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1'); }).join('');
  }
  function get(value, tokens) {
    for (var i = 0; i < tokens.length; i++) { value = value == null ? undefined : value[tokens[i]]; }
    return value;
  }
  function put(root, tokens, value, insert) {
    if (tokens.length === 0) { return value; }
    var parent = get(root, tokens.slice(0, -1)), last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      var i = last === '-' ? parent.length : parseInt(last, 10);
      if (insert) { parent.splice(i, 0, value); } else { parent[i] = value; }
    } else { parent[last] = value; }
    return root;
  }
  function remove(root, tokens) {
    var parent = get(root, tokens.slice(0, -1)), last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) { parent.splice(parseInt(last, 10), 1); } else { delete parent[last]; }
    return root;
  }
  function clone(v) { return v === undefined ? v : JSON.parse(JSON.stringify(v)); }
  function apply(root, op) {
    var path = parse(op.path);
    switch (op.op) {
      case 'add': return put(root, path, clone(op.value), true);
      case 'replace': return put(root, path, clone(op.value), false);
      case 'remove': return remove(root, path);
      case 'move': var v = clone(get(root, parse(op.from))); root = remove(root, parse(op.from)); return put(root, path, v, true);
      case 'copy': return put(root, path, clone(get(root, parse(op.from))), true);
      default: return root; // test: nothing to change
    }
  }

  // ---------------------------------------------------------------- the tree
  function kind(v) { return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v; }
  function node(key, value, tokens) {
    var ptr = pointerOf(tokens), k = kind(value), el;
    if (k === 'object' || k === 'array') {
      el = document.createElement('details');
      el.open = !collapsed.has(ptr);
      el.addEventListener('toggle', function () { if (el.open) { collapsed.delete(ptr); } else { collapsed.add(ptr); } });
      var summary = document.createElement('summary');
      if (key !== null) { summary.appendChild(span('key', key)); summary.appendChild(document.createTextNode(': ')); }
      var keys = k === 'array' ? value.map(function (_, i) { return i; }) : Object.keys(value);
      summary.appendChild(span('count', k === 'array' ? '[' + keys.length + ']' : '{' + keys.length + '}'));
      el.appendChild(summary);
      keys.forEach(function (child) { el.appendChild(node(String(child), value[child], tokens.concat([child]))); });
    } else {
      el = document.createElement('div');
      el.className = 'leaf';
      if (key !== null) { el.appendChild(span('key', key)); el.appendChild(document.createTextNode(': ')); }
      var v = span('value v-' + k, JSON.stringify(value));
      v.setAttribute('data-path', ptr);
      el.appendChild(v);
    }
    el.setAttribute('data-node', ptr);
    return el;
  }
  function span(cls, text) { var s = document.createElement('span'); s.className = cls; s.textContent = text; return s; }
  function renderAll() {
    var tree = $('tree');
    tree.textContent = '';
    tree.appendChild(node(null, doc, []));
  }
  function findNode(ptr) {
    var all = $('tree').querySelectorAll('[data-node]');
    for (var i = 0; i < all.length; i++) { if (all[i].getAttribute('data-node') === ptr) { return all[i]; } }
    return null;
  }
  // re-renders the container holding each changed path (in place, keeping what is collapsed) and flashes it
  function rerender(paths) {
    var done = new Set();
    paths.forEach(function (p) {
      var tokens = parse(p);
      var parentTokens = tokens.length ? tokens.slice(0, -1) : [];
      while (parentTokens.length && get(doc, parentTokens) === undefined) { parentTokens = parentTokens.slice(0, -1); }
      var ptr = pointerOf(parentTokens);
      if (done.has(ptr)) { return; }
      done.add(ptr);
      var old = findNode(ptr), value = get(doc, parentTokens);
      if (!old || value === undefined) { renderAll(); return; }
      var key = parentTokens.length ? String(parentTokens[parentTokens.length - 1]) : null;
      var fresh = node(key, value, parentTokens);
      old.replaceWith(fresh);
      var changed = findNode(p);
      (changed || fresh).classList.add('changed');
    });
  }

  // ---------------------------------------------------------------- status, feed
  var statusAt = 0;
  function setStatus(s) {
    statusAt = Date.now();
    $('name').textContent = s.name;
    $('role').textContent = String(s.role).toLowerCase();
    $('term').textContent = s.term;
    $('patch').hidden = !s.writable;
    var body = $('peers').querySelector('tbody');
    body.textContent = '';
    (s.peers || []).forEach(function (p) {
      var tr = document.createElement('tr');
      if (p.self) { tr.className = 'self'; }
      var role = p.role || (p.host ? 'host' : 'client');
      [p.pid === undefined ? '?' : String(p.pid), role + (p.self ? ' (this page\u2019s process)' : ''),
        p.writer === undefined ? '?' : p.writer ? 'writer' : 'reader',
        p.pending === undefined ? '?' : String(p.pending), p.peerId].forEach(function (text, i) {
        var td = document.createElement('td');
        td.textContent = text;
        if (i === 4) { td.className = 'id'; }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function setVersion(v) { version = v; $('version').textContent = v; }
  function feed(c) {
    var li = document.createElement('li');
    var state = String(c.state).toLowerCase(), origin = String(c.origin).toLowerCase();
    li.className = state;
    li.appendChild(span('meta', 'v' + c.version + ' · term ' + c.term + ' · ' + state + ' · ' + origin));
    (c.effect || []).forEach(function (op) {
      li.appendChild(span('op', op.op + ' ' + op.path + (op.from !== undefined ? ' from ' + op.from : '')
        + (op.value !== undefined ? ' = ' + JSON.stringify(op.value) : '')));
    });
    var list = $('feed');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > 200) { list.removeChild(list.lastChild); }
  }

  // ---------------------------------------------------------------- the change stream
  function connect() {
    source = new EventSource(base + '/_changes');
    source.addEventListener('open', function () { $('conn').textContent = 'live'; $('conn').className = 'conn live'; });
    source.addEventListener('error', function () { $('conn').textContent = 'reconnecting'; $('conn').className = 'conn connecting'; });
    source.addEventListener('snapshot', function (e) {
      var s = JSON.parse(e.data);
      doc = s.document;
      setVersion(s.version);
      $('term').textContent = s.term;
      renderAll();
    });
    source.addEventListener('status', function (e) { setStatus(JSON.parse(e.data)); });
    source.addEventListener('change', function (e) {
      var c = JSON.parse(e.data);
      if (doc === null) { return; }
      if (c.document !== undefined) {
        doc = c.document;                     // not a confirmed change: the view as a whole
        renderAll();
      } else if (String(c.state).toLowerCase() !== 'confirmed') {
        fetch(base).then(function (r) { return r.json(); }).then(function (d) { doc = d; renderAll(); });
      } else {
        if (c.version <= version) { return; } // already in the snapshot
        c.effect.forEach(function (op) { doc = apply(doc, op); });
        rerender(c.effect.map(function (op) { return op.path; }));
        setVersion(c.version);
      }
      $('term').textContent = c.term;
      feed(c);
    });
  }

  // ---------------------------------------------------------------- the patch box
  $('patch-apply').addEventListener('click', function () {
    var result = $('patch-result');
    result.className = 'result';
    result.textContent = '…';
    fetch(base, {
      method: 'PATCH',
      headers: { 'Content-Type': $('patch-type').value, 'Authorization': 'Bearer ' + $('patch-token').value },
      body: $('patch-text').value
    }).then(function (res) {
      return res.text().then(function (text) {
        var body;
        try { body = JSON.parse(text); } catch (e) { body = { code: 'HTTP_' + res.status, detail: text }; }
        if (res.ok) {
          result.className = 'result ok';
          result.textContent = '(' + body.term + ', ' + body.version + ')';
        } else {
          result.className = 'result err';
          result.textContent = (body.code || 'HTTP_' + res.status) + ': ' + (body.detail || body.message || '');
        }
      });
    }).catch(function (e) { result.className = 'result err'; result.textContent = 'ERR_IO: ' + e; });
  });
  $('collapse-all').addEventListener('click', function () {
    $('tree').querySelectorAll('[data-node]').forEach(function (el) {
      if (el.tagName === 'DETAILS' && el.getAttribute('data-node') !== '') { collapsed.add(el.getAttribute('data-node')); }
    });
    renderAll();
  });
  $('expand-all').addEventListener('click', function () { collapsed.clear(); renderAll(); });

  // the server(port) stream sends the status every second; where a stream does not (JAX-RS), ask for it
  function pollStatus() {
    if (Date.now() - statusAt > 2500) {
      fetch(base + '/_status').then(function (r) { return r.json(); }).then(setStatus).catch(function () { });
    }
  }
  pollStatus();
  setInterval(pollStatus, 2000);
  connect();
})();
