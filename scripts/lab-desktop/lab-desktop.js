// A plain-JavaScript stand-in for the Finesse agent desktop's notification client, run inside
// Chromium by scripts/record-sample.mjs. It logs in to the lab's XMPP server over WebSocket
// (RFC 7395, subprotocol "xmpp") or BOSH (XEP-0124/0206) with the same steps as the Finesse
// desktop: open, SASL PLAIN, restart, bind "desktop", presence with caps, wait for presence from
// finesse@, pubsub subscribe, notifications, XEP-0199 ping, close.
// window.labRest makes Finesse REST calls (SystemInfo, User GET/PUT with a requestId) the way
// Cisco's JavaScript library does, with XMLHttpRequest.
// The page keeps the desktop's own client log as Cisco's library writes it (window.labLogText();
// tests/corpus/desktop/FORMAT.md): connection statuses, the event tunnel's URL, the clock drift,
// subscriptions, every notification with its payload, every REST call.
// The recorder drives it step by step through window.LabDesktop; the devtools protocol records
// the traffic. No library, no build step.
(function () {
  'use strict';

  const NS = {
    framing: 'urn:ietf:params:xml:ns:xmpp-framing',
    sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
    bind: 'urn:ietf:params:xml:ns:xmpp-bind',
    pubsub: 'http://jabber.org/protocol/pubsub',
    event: 'http://jabber.org/protocol/pubsub#event',
    ping: 'urn:xmpp:ping',
    caps: 'http://jabber.org/protocol/caps',
    httpbind: 'http://jabber.org/protocol/httpbind',
    xbosh: 'urn:xmpp:xbosh',
  };
  // XEP-0115 caps the Smack-based Finesse desktop announces (node from PROTOCOL.md).
  const CAPS_NODE = 'http://www.igniterealtime.org/projects/smack';
  const CAPS_VER = 'os2PlVw8nw5a3RvpD8mPdlTJpnI=';

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  }
  function rootName(f) { const m = /^\s*<([A-Za-z_][\w:.-]*)/.exec(f); return m ? m[1] : ''; }
  function rootAttr(f, name) {
    const m = /^\s*<[^>]*>/.exec(f);
    if (!m) return undefined;
    const a = new RegExp('\\s' + name.replace(/[:.]/g, '\\$&') + '=(?:"([^"]*)"|\'([^\']*)\')').exec(m[0]);
    return a ? (a[1] !== undefined ? a[1] : a[2]) : undefined;
  }
  function b64utf8(s) { return btoa(unescape(encodeURIComponent(s))); }

  // ---- The desktop's client log ("Send Error Report") ----------------------------------------
  // Records written the way Cisco's finesse.js 10.5(1) ClientLogger.logToConsole writes them
  // (tests/corpus/desktop/FORMAT.md section 1):
  //   <local yyyy-mm-ddTHH:MM:ss.SSS ±HH:MM>: <sessKey>: <host>: <server time>: <gadgetId> : <msg>
  // The server time is the client clock plus the measured drift, shown in the server's zone as
  // "Mon DD YYYY HH:MM:ss.SSS ±HHMM", or "--- -- ---- --:--:--.--- -----" until a drift is known.
  // The uploaded text (FinesseLogger.publish) is navigator.userAgent on a line of its own, then
  // every record followed by a newline. Message texts are the library's (FORMAT.md sections 3-4);
  // the drift line and "Establishing BOSH connection..." follow shared/FINESSE-REST.md (no public
  // source); the connection statuses are published where this stand-in sees the change.
  const clientLog = (function () {
    const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const records = [];
    const state = { gadgetId: 'LabDesktop', host: location.hostname || '?.?.?.?', sessKey: '', drift: undefined, serverOffset: undefined };
    {
      // finSessKey: "a short form (6 character) session ID" (its alphabet is not public).
      const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      const b = crypto.getRandomValues(new Uint8Array(6));
      state.sessKey = Array.from(b, (x) => abc[x % abc.length]).join('');
    }
    const pad2 = (n) => (n < 10 ? '0' + n : String(n));
    const pad3 = (n) => (n < 10 ? '00' + n : n < 100 ? '0' + n : String(n));
    // getGmtOffString(min, sep): minutes east of GMT -> "+HH:MM" (sep ':') or "+HHMM".
    function gmtOff(min, sep) {
      const sign = min < 0 ? '-' : '+';
      const t = Math.abs(min);
      return sign + pad2(Math.floor(t / 60)) + (sep === ':' ? ':' : '') + pad2(t % 60);
    }
    function localStamp(d) {
      return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + 'T'
        + pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds()) + '.'
        + pad3(d.getMilliseconds()) + ' ' + gmtOff(-d.getTimezoneOffset(), ':');
    }
    function serverStamp(ts) {
      if (state.drift === undefined || state.serverOffset === undefined) return '--- -- ---- --:--:--.--- -----';
      const localOffset = new Date().getTimezoneOffset();
      const d = new Date(ts + state.drift + (localOffset + state.serverOffset) * 60000);
      return MONTH[d.getMonth()] + ' ' + pad2(d.getDate()) + ' ' + d.getFullYear() + ' '
        + pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds()) + '.'
        + pad3(d.getMilliseconds()) + ' ' + gmtOff(state.serverOffset, '');
    }
    function log(message) {
      const now = new Date();
      const rec = localStamp(now) + ': ' + state.sessKey + ': ' + state.host + ': ' + serverStamp(now.getTime())
        + ': ' + state.gadgetId + ' : ' + message;
      records.push(rec);
    }
    return {
      log: log,
      // ClientServices.log: "[ClientServices] " + msg (MasterPublisher and RestBase log through it).
      cs: (msg) => log('[ClientServices] ' + msg),
      status: (s) => log('[ClientServices] MasterPublisher._connInfoHandler() - Connection status: ' + s),
      // drift: server minus client, ms; serverOffset: the server's zone, minutes east of GMT.
      setDrift: (drift, serverOffset) => { state.drift = drift; state.serverOffset = serverOffset; },
      text: () => navigator.userAgent + '\n' + records.map((r) => r + '\n').join(''),
      records: records,
      state: state,
    };
  }());

  // RestBase._processUpdate: the requestIds of this page's own non-GET requests, waiting for their
  // notification. Any other event on a User node is logged as "invalid or unknown requestId".
  const pendingRequests = new Set();
  function restType(path) {
    const m = /^\/finesse\/api\/([^/?]+)/.exec(path);
    return m ? m[1] : 'RestBase';
  }
  // A small xml2js-like object for the event's JSON record (the library's gadgets.json.stringify of
  // {content, object}); the lab's approximation of finesse.js's converter.
  function xmlToObj(node) {
    const kids = Array.from(node.children);
    if (!kids.length) return node.textContent === '' ? null : node.textContent;
    const o = {};
    for (const k of kids) {
      const v = xmlToObj(k);
      if (Object.prototype.hasOwnProperty.call(o, k.nodeName)) {
        if (!Array.isArray(o[k.nodeName])) o[k.nodeName] = [o[k.nodeName]];
        o[k.nodeName].push(v);
      } else o[k.nodeName] = v;
    }
    return o;
  }
  function processUpdate(node, payload) {
    if (!/^\/finesse\/api\/User\/[^/]+$/.test(node)) return;
    const m = /<requestId>([^<]*)<\/requestId>/.exec(payload);
    const requestId = m ? m[1] : '';
    if (requestId && pendingRequests.has(requestId)) { pendingRequests.delete(requestId); return; }
    clientLog.cs('User: Received the following event with an invalid or unknown requestId:');
    let object = null;
    try {
      const doc = new DOMParser().parseFromString(payload, 'text/xml');
      object = { [doc.documentElement.nodeName]: xmlToObj(doc.documentElement) };
    } catch (e) { /* keep null */ }
    clientLog.cs(JSON.stringify({ content: payload, object: object }));
  }

  let idn = 0;
  function newId(prefix) { idn += 1; return prefix + '_' + idn + '_' + Math.random().toString(36).slice(2, 7); }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // ---- WebSocket transport (RFC 7395) -------------------------------------------------------
  class WsTransport {
    constructor(url) { this.url = url; this.kind = 'ws'; }
    connect(onFrame, onClose) {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(this.url, 'xmpp');
        this.ws = ws;
        let opened = false;
        ws.onopen = () => { opened = true; this.protocol = ws.protocol; resolve(); };
        ws.onmessage = (e) => onFrame(String(e.data));
        ws.onerror = () => { if (!opened) reject(new Error('websocket error (no 101?)')); };
        ws.onclose = (e) => {
          if (!opened) reject(new Error('websocket closed before open: ' + e.code));
          onClose({ code: e.code, reason: e.reason, wasClean: e.wasClean });
        };
      });
    }
    open(domain) { this.send('<open xmlns="' + NS.framing + '" to="' + esc(domain) + '" version="1.0"/>'); }
    send(xml) { this.ws.send(xml); }
    close() { this.send('<close xmlns="' + NS.framing + '"/>'); }
    drop() { try { this.ws.close(); } catch (e) { /* ignore */ } }
  }

  // ---- BOSH transport (XEP-0124 / XEP-0206) ---------------------------------------------------
  // hold=1: the server keeps one request; the client keeps one poll outstanding and sends a
  // second request when it has stanzas, never more than two at a time.
  class BoshTransport {
    constructor(url, { wait = 30, hold = 1 } = {}) {
      this.url = url; this.kind = 'bosh'; this.wait = wait; this.hold = hold;
      this.rid = Math.floor(Math.random() * 1e9) + 1e9;
      this.sid = null; this.queue = []; this.outstanding = 0; this.ended = false;
    }
    connect(onFrame, onClose) { this.onFrame = onFrame; this.onClose = onClose; return Promise.resolve(); }
    body(attrs, inner) {
      let a = ' rid="' + (this.rid++) + '"';
      if (this.sid) a += ' sid="' + this.sid + '"';
      for (const [k, v] of Object.entries(attrs || {})) a += ' ' + k + '="' + esc(v) + '"';
      return '<body' + a + ' xmlns="' + NS.httpbind + '"' + (inner ? '>' + inner + '</body>' : '/>');
    }
    // Session creation; the answer's children (stream features) are delivered as frames.
    open(domain) {
      this.domain = domain;
      if (!this.sid) {
        this.post(this.body({
          content: 'text/xml; charset=utf-8', hold: String(this.hold), to: domain, ver: '1.6',
          wait: String(this.wait), 'xml:lang': 'en', 'xmpp:version': '1.0', 'xmlns:xmpp': NS.xbosh,
        }), true);
      } else {
        this.queue.push({ restart: true });
        this.pump();
      }
    }
    send(xml) { this.queue.push(xml); this.pump(); }
    close() { this.queue.push({ terminate: true }); this.pump(); }
    drop() { this.ended = true; }
    pump() {
      if (this.ended || !this.sid) return;
      if (this.outstanding >= 2) return;
      if (!this.queue.length && this.outstanding > 0) return;
      let payload;
      const first = this.queue[0];
      if (first && first.restart) {
        this.queue.shift();
        payload = this.body({ to: this.domain, 'xml:lang': 'en', 'xmpp:restart': 'true', 'xmlns:xmpp': NS.xbosh });
      } else if (first && first.terminate) {
        this.queue.shift();
        payload = this.body({ type: 'terminate' }, '<presence xmlns="jabber:client" type="unavailable"/>');
        this.terminating = true;
      } else {
        const parts = [];
        while (this.queue.length && typeof this.queue[0] === 'string') parts.push(this.queue.shift());
        payload = this.body({}, parts.join(''));
      }
      this.post(payload, false);
    }
    async post(payload, creating) {
      this.outstanding += 1;
      let text;
      try {
        const r = await fetch(this.url, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body: payload });
        text = await r.text();
        if (!r.ok) throw new Error('HTTP ' + r.status);
      } catch (e) {
        this.outstanding -= 1;
        if (!this.ended) { this.ended = true; this.onClose({ code: 0, reason: String(e.message || e), wasClean: false }); }
        return;
      }
      this.outstanding -= 1;
      const doc = new DOMParser().parseFromString(text, 'text/xml');
      const body = doc.documentElement;
      if (creating) this.sid = body.getAttribute('sid');
      const ser = new XMLSerializer();
      for (const child of Array.from(body.children)) this.onFrame(ser.serializeToString(child));
      if (body.getAttribute('type') === 'terminate' || this.terminating) {
        if (!this.ended) {
          this.ended = true;
          this.onFrame('<close xmlns="' + NS.framing + '"/>');
          this.onClose({ code: 1000, reason: body.getAttribute('condition') || 'terminate', wasClean: true });
        }
        return;
      }
      this.pump();
    }
  }

  // ---- The desktop --------------------------------------------------------------------------
  class LabDesktop {
    // opts: {transport: 'ws'|'bosh', url, domain, user, password, authzid, resource, pubsub,
    //        streamTo, connectStatus}: streamTo is the stream's "to" when it is not the domain (a
    //        desktop configured with an IP or an alias instead of SystemInfo's xmppDomain);
    //        connectStatus is the status its client log publishes when it starts to connect
    //        ("connecting", or "reconnecting" for a desktop that lost its connection)
    constructor(opts) {
      this.opts = Object.assign({ transport: 'ws', resource: 'desktop' }, opts);
      this.opts.pubsub = this.opts.pubsub || 'pubsub.' + this.opts.domain;
      this.frames = [];
      this.waiters = [];
      this.notifications = [];
      this.closed = null;
      this.connected = false;
      this.steps = [];
      this.logged = null; // the last connection status this desktop published in the client log
    }
    // Publishes a connection status in the client log (MasterPublisher._connInfoHandler).
    status(s) { this.logged = s; clientLog.status(s); }
    step(name, detail) { this.steps.push({ t: Date.now(), name: name, detail: detail || '' }); }
    onFrame(f) {
      this.frames.push(f);
      const name = rootName(f);
      if (name === 'message' && f.indexOf(NS.event) >= 0) {
        const node = /<items[^>]*\snode=['"]([^'"]+)['"]/.exec(f);
        this.notifications.push({ node: node ? node[1] : '', at: Date.now() });
        this.logEvent(f);
      }
      if (name === 'presence' && /^finesse@/.test(rootAttr(f, 'from') || '') && rootAttr(f, 'type') !== 'unavailable') {
        this.connected = true;
      }
      // Answer server pings.
      if (name === 'iq' && rootAttr(f, 'type') === 'get' && f.indexOf(NS.ping) >= 0) {
        this.send('<iq xmlns="jabber:client" type="result" id="' + esc(rootAttr(f, 'id') || '') + '" to="' + esc(rootAttr(f, 'from') || this.opts.domain) + '"/>');
      }
      for (let i = 0; i < this.waiters.length; i++) {
        const w = this.waiters[i];
        if (w.pred(f)) { this.waiters.splice(i, 1); clearTimeout(w.timer); w.resolve(f); return; }
      }
    }
    // The tunnel hands MasterPublisher "node + payload", the payload being the message's text
    // content (the unescaped <Update> document); MasterPublisher logs it, RestBase checks its
    // requestId.
    logEvent(f) {
      let node = '';
      let payload = '';
      try {
        const doc = new DOMParser().parseFromString(f, 'text/xml');
        const items = doc.getElementsByTagName('items')[0];
        node = items ? items.getAttribute('node') || '' : '';
        payload = doc.documentElement.textContent;
      } catch (e) { return; }
      if (!node) return;
      clientLog.cs("MasterPublisher._parseAndPublishXMLEvent() - Received XML event on node '" + node + "': " + payload);
      processUpdate(node, payload);
    }
    onClose(info) {
      this.closed = Object.assign({ at: Date.now() }, info);
      if (!this.closing && this.logged !== 'disconnected' && this.logged !== 'conflict' && this.logged !== 'unauthorized') {
        const conflict = this.frames.some((f) => /(^|:)error$/.test(rootName(f)) && f.indexOf('<conflict') >= 0);
        this.status(conflict ? 'conflict' : 'disconnected');
      }
      this.step('socket closed', info.code + ' ' + (info.reason || ''));
      for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error('closed (' + info.code + ') while waiting for ' + w.label)); }
    }
    waitFor(pred, label, ms) {
      // Frames already received count too (a stanza may arrive before the wait starts).
      return new Promise((resolve, reject) => {
        if (this.closed) { reject(new Error('closed while waiting for ' + label)); return; }
        const w = { pred: pred, label: label, resolve: resolve, reject: reject };
        w.timer = setTimeout(() => { this.waiters.splice(this.waiters.indexOf(w), 1); reject(new Error('timeout waiting for ' + label)); }, ms || 5000);
        this.waiters.push(w);
      });
    }
    send(xml) { this.t.send(xml); }
    async sendWait(xml, pred, label, ms) { const p = this.waitFor(pred, label, ms); this.send(xml); return p; }
    async iq(xml, ms) {
      const id = rootAttr(xml, 'id');
      return this.sendWait(xml, (f) => rootName(f) === 'iq' && rootAttr(f, 'id') === id, 'iq ' + id, ms);
    }
    openStream() {
      const p = this.waitFor((f) => /(^|:)features$/.test(rootName(f)) || /(^|:)error$/.test(rootName(f)) && rootName(f) !== 'iq' || rootName(f) === 'close', 'stream features');
      this.t.open(this.opts.streamTo || this.opts.domain);
      return p;
    }

    // Connect and log in. Resolves {ok, step, frame?, error?}: ok=false names the failing step.
    async login() {
      const o = this.opts;
      this.t = o.transport === 'bosh' ? new BoshTransport(o.url, o.bosh) : new WsTransport(o.url);
      const fail = (step, frame, error) => {
        this.step('failed: ' + step, error || frame);
        if (!this.logged || this.logged === 'connecting' || this.logged === 'reconnecting') {
          const conflict = /(^|:)error$/.test(rootName(frame || '')) && (frame || '').indexOf('<conflict') >= 0;
          this.status(step === 'auth' ? 'unauthorized' : conflict ? 'conflict' : 'disconnected');
        }
        return { ok: false, step: step, frame: frame || '', error: error || '' };
      };
      // What the desktop logs as it starts: the status, then the event tunnel's own lines (12.x
      // EventTunnel._connect texts, FORMAT.md section 4), which name the transport's URL.
      this.status(o.connectStatus || 'connecting');
      if (o.transport === 'bosh') clientLog.log('FailoverMonitor.init(): Establishing BOSH connection...');
      const id = String(o.user).toLowerCase();
      clientLog.log('EventTunnel.connect() - ID:' + id + ', domain:' + o.domain + ', resource:' + o.resource);
      clientLog.log('EventTunnel.connect() - XMPP client JID for connection = ' + id + '@' + o.domain + '/' + o.resource);
      clientLog.log('EventTunnel.connect() - XMPP client connect url = ' + o.url);
      try {
        await this.t.connect((f) => this.onFrame(f), (i) => this.onClose(i));
        this.step('connected', this.t.protocol || o.transport);
        let features = await this.openStream();
        if (!/features$/.test(rootName(features))) return fail('open', features);
        this.step('features');
        const authzid = o.authzid !== undefined ? o.authzid : o.user + '@' + o.domain;
        const sasl = await this.sendWait('<auth xmlns="' + NS.sasl + '" mechanism="PLAIN">' + b64utf8(authzid + '\0' + o.user + '\0' + o.password) + '</auth>',
          (f) => rootName(f) === 'success' || rootName(f) === 'failure', 'SASL answer');
        if (rootName(sasl) !== 'success') return fail('auth', sasl);
        this.step('authenticated');
        features = await this.openStream();
        if (features.indexOf(NS.bind) < 0) return fail('restart', features);
        const bound = await this.iq('<iq xmlns="jabber:client" type="set" id="' + newId('bind') + '"><bind xmlns="' + NS.bind + '"><resource>' + esc(o.resource) + '</resource></bind></iq>');
        if (rootAttr(bound, 'type') !== 'result') return fail('bind', bound);
        const m = /<jid>([^<]+)<\/jid>/.exec(bound);
        this.jid = m ? m[1] : o.user + '@' + o.domain + '/' + o.resource;
        this.bareJid = this.jid.split('/')[0];
        this.step('bound', this.jid);
        const finesse = this.connected ? Promise.resolve() : this.waitFor((f) => rootName(f) === 'presence' && /^finesse@/.test(rootAttr(f, 'from') || ''), 'presence from finesse@', o.finesseTimeout || 5000);
        this.send('<presence xmlns="jabber:client"><c xmlns="' + NS.caps + '" hash="sha-1" node="' + CAPS_NODE + '" ver="' + CAPS_VER + '"/></presence>');
        try { await finesse; } catch (e) { return fail('finesse presence', '', e.message); }
        this.step('connected to finesse');
        this.status('connected');
        return { ok: true, step: 'presence', jid: this.jid };
      } catch (e) {
        return fail(this.closed ? 'stream' : 'transport', this.frames[this.frames.length - 1], e.message);
      }
    }

    // XEP-0060 subscribe with the bare JID, as the Finesse desktop does. Resolves the answer.
    async subscribe(node) {
      clientLog.cs("MasterPublisher._subscribeNode() - Attempting to subscribe to node '" + node + "'");
      const answer = await this.iq('<iq xmlns="jabber:client" type="set" to="' + esc(this.opts.pubsub) + '" id="' + newId('sub') + '"><pubsub xmlns="' + NS.pubsub + '"><subscribe node="' + esc(node) + '" jid="' + esc(this.bareJid) + '"/></pubsub></iq>');
      this.step('subscribe ' + node, rootAttr(answer, 'type'));
      if (rootAttr(answer, 'type') === 'result') clientLog.cs("MasterPublisher._subscribeNode() - Subscribed to node '" + node + "'");
      else clientLog.cs("MasterPublisher._subscribeNode() - Error subscribing to node '" + node + "': " + answer);
      return { ok: rootAttr(answer, 'type') === 'result', frame: answer };
    }
    // After a reconnect or a failover: the "recovered" status, then ClientServices._refreshObjects
    // logs each object it refreshes (the recorder makes the refreshing GETs).
    recovered(urls) {
      this.status('recovered');
      for (const u of urls || []) clientLog.cs('Refreshing ' + u);
      return true;
    }
    async unsubscribe(node) {
      const answer = await this.iq('<iq xmlns="jabber:client" type="set" to="' + esc(this.opts.pubsub) + '" id="' + newId('unsub') + '"><pubsub xmlns="' + NS.pubsub + '"><unsubscribe node="' + esc(node) + '" jid="' + esc(this.bareJid) + '"/></pubsub></iq>');
      return { ok: rootAttr(answer, 'type') === 'result', frame: answer };
    }
    async waitNotifications(count, ms) {
      const deadline = Date.now() + (ms || 10000);
      while (this.notifications.length < count) {
        if (Date.now() > deadline) throw new Error('only ' + this.notifications.length + ' of ' + count + ' notifications');
        if (this.closed) throw new Error('closed with ' + this.notifications.length + ' notifications');
        await sleep(20);
      }
      return this.notifications.slice();
    }
    async ping() {
      const answer = await this.iq('<iq xmlns="jabber:client" type="get" to="' + esc(this.opts.domain) + '" id="' + newId('ping') + '"><ping xmlns="' + NS.ping + '"/></iq>');
      return { ok: rootAttr(answer, 'type') === 'result', frame: answer };
    }
    // Clean close: <close/> and wait for the server's <close/> and the socket to end.
    async close(ms) {
      if (this.closed) return this.closed;
      // Signing out unloads the desktop: the tunnel publishes "unloading" before it disconnects.
      this.closing = true;
      this.status('unloading');
      const p = this.waitFor((f) => rootName(f) === 'close', 'close', ms || 3000).catch(() => null);
      this.t.close();
      await p;
      const deadline = Date.now() + (ms || 3000);
      while (!this.closed && Date.now() < deadline) await sleep(20);
      if (!this.closed) this.t.drop();
      return this.closed;
    }
    async waitClosed(ms) {
      const deadline = Date.now() + (ms || 10000);
      while (!this.closed && Date.now() < deadline) await sleep(20);
      return this.closed;
    }
  }

  // GET /finesse/api/SystemInfo, as the desktop does before it opens the channel.
  function systemInfo(url) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('GET', url);
      x.setRequestHeader('Accept', 'application/xml');
      x.onload = () => {
        const t = x.responseText;
        const get = (n) => { const m = new RegExp('<' + n + '>([^<]*)</' + n + '>').exec(t); return m ? m[1] : ''; };
        resolve({ status: x.status, xmppDomain: get('xmppDomain'), xmppPubSubDomain: get('xmppPubSubDomain') });
      };
      x.onerror = () => reject(new Error('SystemInfo failed'));
      x.send();
    });
  }

  // A Finesse REST call the way Cisco's JavaScript library makes it (XMLHttpRequest):
  // Authorization: Basic when a user is given; GETs carry ?nocache=<ms>; other methods carry a
  // requestId header (a UUID, echoed later in the notification) and Content-Type: application/xml.
  // base: another node's origin (http://host:port), else the page's own origin.
  // Resolves {status, requestId, text}; status 0 when the request failed at the network level.
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  // Each call is logged as RestBase.restRequest and _createAjaxHandler log it (FORMAT.md
  // section 3): "<Type>: requestId='<uuid>', Making REST request: method=…, url='<path>'" (a GET
  // has no requestId: 'undefined'), "…, POST_DATA='<body>'", ClientServices.makeRequest's
  // "RequestedScheme: …" and "…, Returned with status=…, content='…'". Headers are not logged.
  // A SystemInfo answer with <currentTimestamp> sets the log's clock drift and writes the drift line.
  function rest(method, path, options) {
    const o = options || {};
    return new Promise((resolve) => {
      let rel = path;
      if (method === 'GET') rel += (rel.indexOf('?') >= 0 ? '&' : '?') + 'nocache=' + Date.now();
      const url = (o.base || '') + rel;
      const x = new XMLHttpRequest();
      x.open(method, url);
      if (o.user !== undefined) x.setRequestHeader('Authorization', 'Basic ' + b64utf8(o.user + ':' + (o.password || '')));
      let requestId = null;
      if (method !== 'GET') {
        requestId = uuid();
        x.setRequestHeader('requestId', requestId);
        x.setRequestHeader('Content-Type', 'application/xml');
      }
      const type = restType(path);
      const rid = "requestId='" + (requestId === null ? 'undefined' : requestId) + "'";
      clientLog.cs(type + ': ' + rid + ', Making REST request: method=' + method + ", url='" + encodeURI(rel) + "'");
      if (o.body !== undefined) clientLog.cs(type + ': ' + rid + ", POST_DATA='" + o.body + "'");
      clientLog.cs('RequestedScheme: undefined; Scheme: http'); // makeRequest's default scheme
      if (requestId && type === 'User') pendingRequests.add(requestId);
      const t0 = Date.now();
      const done = (status, text) => {
        const t1 = Date.now();
        clientLog.cs(type + ': ' + rid + ', Returned with status=' + status + ", content='" + text + "'");
        if (requestId && status !== 202) pendingRequests.delete(requestId);
        if (type === 'SystemInfo' && status === 200) measureDrift(text, t0, t1, x);
        resolve({ status: status, requestId: requestId, text: text });
      };
      x.onload = () => done(x.status, x.responseText);
      x.onerror = () => { done(0, ''); };
      x.send(o.body === undefined ? null : o.body);
    });
  }
  // The clock drift (server minus client) from SystemInfo's currentTimestamp (or the Date header),
  // the client's clock taken half way through the round trip.
  function measureDrift(text, t0, t1, x) {
    const ts = /<currentTimestamp>([^<]+)<\/currentTimestamp>/.exec(text);
    let server = ts ? Date.parse(ts[1]) : NaN;
    if (isNaN(server)) { const h = x.getResponseHeader('Date'); server = h ? Date.parse(h) : NaN; }
    if (isNaN(server)) return;
    const tz = /<timezoneOffset>(-?\d+)<\/timezoneOffset>/.exec(text);
    const rtt = t1 - t0;
    const client = t0 + Math.round(rtt / 2);
    const drift = server - client;
    clientLog.log('Client: ' + new Date(client).toISOString() + ', Server: ' + new Date(server).toISOString()
      + ', Drift: ' + drift + 'ms, Network Latency (round trip): ' + rtt + 'ms');
    clientLog.setDrift(drift, tz ? Number(tz[1]) : 0);
  }
  // The fields of a SystemInfo answer the desktop uses.
  function parseSystemInfo(t) {
    const get = (n) => { const m = new RegExp('<' + n + '>([^<]*)</' + n + '>').exec(t); return m ? m[1] : ''; };
    const host = (n) => { const m = new RegExp('<' + n + '>\\s*<host>([^<]*)</host>').exec(t); return m ? m[1] : ''; };
    return {
      status: get('status'), statusReason: get('statusReason'), xmppDomain: get('xmppDomain'),
      xmppPubSubDomain: get('xmppPubSubDomain'), primary: host('primaryNode'), secondary: host('secondaryNode'),
    };
  }

  window.LabDesktop = LabDesktop;
  window.labSystemInfo = systemInfo;
  window.labRest = rest;
  window.labParseSystemInfo = parseSystemInfo;
  // The client log: its text as "Send Error Report" uploads it, and a status the desktop publishes
  // outside a connection attempt (e.g. "failing" when it gives up on a node).
  window.labLogText = () => clientLog.text();
  window.labLogStatus = (s) => { clientLog.status(s); return true; };
})();
