// A plain-JavaScript stand-in for the Finesse agent desktop's notification client, run inside
// Chromium by scripts/record-sample.mjs. It logs in to the lab's XMPP server over WebSocket
// (RFC 7395, subprotocol "xmpp") or BOSH (XEP-0124/0206) with the same steps as the Finesse
// desktop: open, SASL PLAIN, restart, bind "desktop", presence with caps, wait for presence from
// finesse@, pubsub subscribe, notifications, XEP-0199 ping, close.
// window.labRest makes Finesse REST calls (SystemInfo, User GET/PUT with a requestId) the way
// Cisco's JavaScript library does, with XMLHttpRequest.
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
    //        streamTo}: streamTo is the stream's "to" when it is not the domain (a desktop
    //        configured with an IP or an alias instead of SystemInfo's xmppDomain)
    constructor(opts) {
      this.opts = Object.assign({ transport: 'ws', resource: 'desktop' }, opts);
      this.opts.pubsub = this.opts.pubsub || 'pubsub.' + this.opts.domain;
      this.frames = [];
      this.waiters = [];
      this.notifications = [];
      this.closed = null;
      this.connected = false;
      this.steps = [];
    }
    step(name, detail) { this.steps.push({ t: Date.now(), name: name, detail: detail || '' }); }
    onFrame(f) {
      this.frames.push(f);
      const name = rootName(f);
      if (name === 'message' && f.indexOf(NS.event) >= 0) {
        const node = /<items[^>]*\snode=['"]([^'"]+)['"]/.exec(f);
        this.notifications.push({ node: node ? node[1] : '', at: Date.now() });
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
    onClose(info) {
      this.closed = Object.assign({ at: Date.now() }, info);
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
      const fail = (step, frame, error) => { this.step('failed: ' + step, error || frame); return { ok: false, step: step, frame: frame || '', error: error || '' }; };
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
        return { ok: true, step: 'presence', jid: this.jid };
      } catch (e) {
        return fail(this.closed ? 'stream' : 'transport', this.frames[this.frames.length - 1], e.message);
      }
    }

    // XEP-0060 subscribe with the bare JID, as the Finesse desktop does. Resolves the answer.
    async subscribe(node) {
      const answer = await this.iq('<iq xmlns="jabber:client" type="set" to="' + esc(this.opts.pubsub) + '" id="' + newId('sub') + '"><pubsub xmlns="' + NS.pubsub + '"><subscribe node="' + esc(node) + '" jid="' + esc(this.bareJid) + '"/></pubsub></iq>');
      this.step('subscribe ' + node, rootAttr(answer, 'type'));
      return { ok: rootAttr(answer, 'type') === 'result', frame: answer };
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
  function rest(method, path, options) {
    const o = options || {};
    return new Promise((resolve) => {
      let url = (o.base || '') + path;
      if (method === 'GET') url += (url.indexOf('?') >= 0 ? '&' : '?') + 'nocache=' + Date.now();
      const x = new XMLHttpRequest();
      x.open(method, url);
      if (o.user !== undefined) x.setRequestHeader('Authorization', 'Basic ' + b64utf8(o.user + ':' + (o.password || '')));
      let requestId = null;
      if (method !== 'GET') {
        requestId = uuid();
        x.setRequestHeader('requestId', requestId);
        x.setRequestHeader('Content-Type', 'application/xml');
      }
      x.onload = () => resolve({ status: x.status, requestId: requestId, text: x.responseText });
      x.onerror = () => resolve({ status: 0, requestId: requestId, text: '', error: 'network error' });
      x.send(o.body === undefined ? null : o.body);
    });
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
})();
