// The page's side of the bridge (appended to the Emscripten output): paste, drag-and-drop, the
// file picker, the clipboard, downloads, and window.finesseInspector for tests and embedding.
// Nothing here sends data anywhere: every byte stays in this page.
(function () {
  'use strict';
  var ready = new Promise(function (resolve) {
    var previous = Module['onRuntimeInitialized'];
    // main() runs synchronously right after this callback; the promise settles after it.
    Module['onRuntimeInitialized'] = function () { if (previous) previous(); resolve(); };
  });
  var lastInput = null;  // the bytes of what the page last handed over, for the sanitised export

  function toBytes(input) {
    if (typeof input === 'string') return new TextEncoder().encode(input);
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError('finesseInspector: input must be a string, an ArrayBuffer or a Uint8Array');
  }
  // Copies the bytes straight into a buffer the wasm owns (no JavaScript string in between).
  // Throws, with the reason, when the wasm refuses (over the limit, or no memory for it).
  function hand(bytes) {
    var ptr = Module['_fi_alloc'](bytes.length);
    if (!ptr) throw new Error('finesseInspector: ' + UTF8ToString(Module['_fi_error']()));
    HEAPU8.set(bytes, ptr);  // read HEAPU8 after the allocation: memory may have grown
  }
  function tooLarge(size) { return size > Module['_fi_max_input'](); }
  function withName(name, fn) {
    var n = lengthBytesUTF8(name) + 1;
    var p = Module['_malloc'](n);
    stringToUTF8(name, p, n);
    try { return fn(p); } finally { Module['_free'](p); }
  }
  function loadBytes(bytes, name) {
    lastInput = bytes;
    hand(bytes);
    withName(name || 'input', function (p) { Module['_fi_load_pending'](p); });
  }
  function addBytes(bytes, name) {
    hand(bytes);
    withName(name || 'input', function (p) { Module['_fi_add_pending'](p); });
  }
  function state() { return JSON.parse(UTF8ToString(Module['_fi_state']())); }

  function download(name, mime, bytes) {
    var url = URL.createObjectURL(new Blob([bytes], { type: mime }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }
  function copy(text) {
    var fallback = function () {
      var ta = document.createElement('textarea');
      ta.value = text;
      ta.style.position = 'fixed';
      ta.style.opacity = '0';
      document.body.appendChild(ta);
      ta.select();
      try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
      ta.remove();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(fallback);
    else fallback();
  }
  function sanitized() {
    if (!lastInput) return '';
    hand(lastInput);
    var p = Module['_fi_sanitize_pending']();
    return UTF8ToString(p, Module['_fi_result_size']());
  }

  // A file is checked against the limit before it is read into memory at all.
  function readFile(file) {
    ready.then(function () {
      if (tooLarge(file.size)) { Module['_fi_alloc'](file.size); return; }  // refused: the UI says why
      return file.arrayBuffer().then(function (buf) { loadBytes(new Uint8Array(buf), file.name); });
    }).catch(function (e) { console.warn(e.message); });
  }

  var picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = '.har,.json,.txt,.log,.xml,application/json,text/plain';
  picker.style.display = 'none';
  document.body.appendChild(picker);
  picker.addEventListener('change', function () {
    var file = picker.files && picker.files[0];
    if (file) readFile(file);
    picker.value = '';
  });

  // Called from C++ (js_bridge.cpp).
  Module['finesse'] = {
    copy: copy,
    download: download,
    openPicker: function () { picker.click(); },
    // To accept a certificate, the user opens the server's https page; noopener keeps it apart.
    openTab: function (url) { window.open(url, '_blank', 'noopener'); },
    exportSanitized: function () {
      var text = sanitized();
      if (text) download('capture.sanitised.har', 'application/json', text);
    },
    // BOSH for live mode: one fetch() per request; the answer, or why there was none, goes back
    // with the transport's token (a replaced transport's answers are dropped in C++).
    boshPost: function (token, request, url, body) {
      var ctrl = new AbortController();
      boshRequests[token + ':' + request] = ctrl;
      var done = function () { delete boshRequests[token + ':' + request]; };
      fetch(url, { method: 'POST', body: body, headers: { 'Content-Type': 'text/xml; charset=utf-8' },
                   cache: 'no-store', credentials: 'omit', signal: ctrl.signal })
        .then(function (r) {
          return r.text().then(function (text) {
            done();
            var n = lengthBytesUTF8(text) + 1, p = Module['_malloc'](n);
            stringToUTF8(text, p, n);
            try { Module['_fi_bosh_answer'](token, request, r.status, p, n - 1); } finally { Module['_free'](p); }
          });
        })
        .catch(function (e) {
          done();
          if (e && e.name === 'AbortError') return;  // we cancelled it: the session already knows
          var what = String(e && e.message || e);
          var failed = function (why) { withName(what, function (p) { Module['_fi_bosh_failed'](token, request, why, p); }); };
          // The browser hides why a request failed. A no-cors request reaches a server that
          // answers whatever its CORS rules: if it gets through, the origin was refused.
          fetch(url, { method: 'POST', mode: 'no-cors', body: '', cache: 'no-store', credentials: 'omit' })
            .then(function () { failed(1); }, function () { failed(0); });
        });
    },
    boshAbort: function (token, request) {
      var ctrl = boshRequests[token + ':' + request];
      if (ctrl) { delete boshRequests[token + ':' + request]; ctrl.abort(); }
    },
  };
  var boshRequests = {};

  // Ctrl/Cmd+V anywhere: into the focused text field if there is one, else as a new input.
  document.addEventListener('paste', function (e) {
    var text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!text) return;
    e.preventDefault();
    ready.then(function () {
      if (Module['_fi_wants_text']()) withName(text, function (p) { Module['_fi_set_clipboard'](p); });
      else loadBytes(new TextEncoder().encode(text), 'pasted text');
    });
  });
  document.addEventListener('dragover', function (e) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; });
  document.addEventListener('drop', function (e) {
    e.preventDefault();
    var files = e.dataTransfer && e.dataTransfer.files;
    if (files && files.length >= 2) {
      // A HAR and the desktop's log of the same session, dropped together: one analysis.
      var first = files[0], second = files[1];
      ready.then(function () { return Promise.all([first.arrayBuffer(), second.arrayBuffer()]); }).then(function (bufs) {
        Module['_fi_cancel_add']();
        var before = state().generation, frames = 0;
        loadBytes(new Uint8Array(bufs[0]), first.name);
        (function wait() {
          var s = state();
          if (!s.busy && s.generation > before) addBytes(new Uint8Array(bufs[1]), second.name);
          else if (++frames < 36000) requestAnimationFrame(wait);  // the first was refused: stop after ~10 min
        })();
      }).catch(function (err) { console.warn(err.message); });
      return;
    }
    var file = files && files[0];
    if (!file) {
      var text = e.dataTransfer ? e.dataTransfer.getData('text/plain') : '';
      if (text) ready.then(function () { loadBytes(new TextEncoder().encode(text), 'dropped text'); });
      return;
    }
    readFile(file);
  });

  window.finesseInspector = {
    ready: ready,
    // The same JSON report as `finesse-inspect --format json`.
    analyze: function (input) {
      return ready.then(function () {
        hand(toBytes(input));
        return JSON.parse(UTF8ToString(Module['_fi_analyze_pending']()));
      });
    },
    // Adds a desktop client log to the HAR on screen (or a HAR to the log); resolves with the state.
    add: function (input, name) {
      return ready.then(function () {
        addBytes(toBytes(input), name || 'input');
        return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(state()); }); }); });
      });
    },
    // Shows the input in the UI as if it had been pasted; resolves when it is on screen.
    load: function (input, name) {
      return ready.then(function () {
        Module['_fi_cancel_add']();  // load() always loads
        var before = state().generation;
        loadBytes(toBytes(input), name || 'input');
        return new Promise(function (resolve) {
          (function wait() {
            var s = state();
            if (!s.busy && s.generation > before) resolve(s); else requestAnimationFrame(wait);
          })();
        });
      });
    },
    // The selected connection, step and frame (1-based, as in the reports), and layout facts.
    state: state,
    exportReport: function (kind) {
      return ready.then(function () { return UTF8ToString(Module['_fi_export'](kind === 'json' ? 1 : 0)); });
    },
    exportSanitized: function () { return ready.then(sanitized); },
    // Size of the wasm heap in bytes (it only grows), for memory measurements.
    heapBytes: function () { return HEAPU8.length; },
    // Live mode: runs the desktop's login against a real server. Resolves when the sequence has
    // passed or failed, with the JSON report of the live capture so far.
    connect: function (options) {
      return ready.then(function () {
        var before = state().live ? state().live.session : 0;
        var why = withName(JSON.stringify(options || {}), function (p) { return UTF8ToString(Module['_fi_connect'](p)); });
        if (why) throw new Error('finesseInspector.connect: ' + why);
        return new Promise(function (resolve) {
          (function wait() {
            var s = state();
            // The test starts at the next frame: wait for that session, not the one before it.
            if (s.live && s.live.session > before && s.live.done) resolve(JSON.parse(UTF8ToString(Module['_fi_live_report']())));
            else setTimeout(wait, 20);
          })();
        });
      });
    },
    // The live session as the HAR the Export menu saves.
    liveHar: function () { return ready.then(function () { return UTF8ToString(Module['_fi_live_har']()); }); },
    // Closes the live connection cleanly (unsubscribe, then <close/>); resolves once closed.
    disconnect: function () {
      return ready.then(function () {
        Module['_fi_disconnect']();
        return new Promise(function (resolve) {
          (function wait() {
            var s = state();
            if (!s.live || s.live.phase === 'closed') resolve(JSON.parse(UTF8ToString(Module['_fi_live_report']()) || 'null'));
            else setTimeout(wait, 20);
          })();
        });
      });
    },
    liveReport: function () { return ready.then(function () { return JSON.parse(UTF8ToString(Module['_fi_live_report']()) || 'null'); }); },
    // Selects a connection and a frame (1-based), as a click would; resolves once drawn.
    select: function (connection, frame) {
      return ready.then(function () {
        Module['_fi_select'](connection, frame);
        return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(state()); }); }); });
      });
    },
    // Selects a REST request (1-based, its row in the Requests view), as a click would: its
    // notification frame when one came, else the request's detail. `own`: always the request.
    selectRequest: function (request, own) {
      return ready.then(function () {
        Module[own ? '_fi_show_request' : '_fi_select_request'](request);
        return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(state()); }); }); });
      });
    },
    // Selects a desktop client log's record (1-based, in log order); resolves once drawn.
    selectRecord: function (record) {
      return ready.then(function () {
        Module['_fi_select_record'](record);
        return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(function () { r(state()); }); }); });
      });
    },
    // Restarts the longest-frame measurement reported by state().frame_cpu_max_ms.
    resetStats: function () { Module['_fi_reset_stats'](); },
  };
})();
