// Minimal XMPP-over-WebSocket (RFC 7395) client for the Finesse lab's helper scripts.
// Needs Node 20 started with --experimental-websocket (Node 22+ has WebSocket by default).
// One XML element per frame, so a few regular expressions are enough to read the answers.

if (typeof WebSocket === 'undefined') {
  console.error('xmpp-ws: no global WebSocket; run node with --experimental-websocket');
  process.exit(2);
}

export const NS = {
  framing: 'urn:ietf:params:xml:ns:xmpp-framing',
  sasl: 'urn:ietf:params:xml:ns:xmpp-sasl',
  bind: 'urn:ietf:params:xml:ns:xmpp-bind',
  pubsub: 'http://jabber.org/protocol/pubsub',
  ping: 'urn:xmpp:ping',
};

export function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Name of the first element of a frame (without prefix handling: "stream:error" stays). */
export function rootName(frame) {
  const m = /^\s*<([A-Za-z_][\w:.-]*)/.exec(frame);
  return m ? m[1] : '';
}

/** Attribute of the first element of a frame. */
export function rootAttr(frame, name) {
  const m = /^\s*<[^>]*>/.exec(frame);
  if (!m) return undefined;
  const a = new RegExp(`\\s${name.replace(/[:.]/g, '\\$&')}=(?:"([^"]*)"|'([^']*)')`).exec(m[0]);
  return a ? (a[1] ?? a[2]) : undefined;
}

let idCounter = 0;
export function nextId(prefix = 'lab') {
  idCounter += 1;
  return `${prefix}_${idCounter}_${Math.random().toString(36).slice(2, 7)}`;
}

export class XmppWs {
  constructor({ url, domain, user, password, resource = 'lab', log = null }) {
    Object.assign(this, { url, domain, user, password, resource, log });
    this.waiters = [];
    this.closed = null; // Promise resolved with {code, reason} when the socket closes
    this.jid = null;
    this.onStanza = null; // optional callback for every received frame
  }

  connect(timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, 'xmpp');
      this.ws = ws;
      const timer = setTimeout(() => { reject(new Error(`connect timeout ${this.url}`)); try { ws.close(); } catch {} }, timeoutMs);
      let closeResolve;
      this.closed = new Promise((r) => { closeResolve = r; });
      ws.onopen = () => { clearTimeout(timer); resolve(); };
      ws.onerror = (e) => { clearTimeout(timer); reject(new Error(`websocket error on ${this.url}: ${e.message || e.type}`)); };
      ws.onclose = (e) => {
        clearTimeout(timer);
        this.log?.(`closed ${e.code} ${e.reason}`);
        for (const w of this.waiters.splice(0)) { clearTimeout(w.timer); w.reject(new Error(`socket closed (${e.code}) while waiting for ${w.label}`)); }
        closeResolve({ code: e.code, reason: e.reason });
      };
      ws.onmessage = (e) => this._receive(String(e.data));
    });
  }

  _receive(frame) {
    this.log?.(`<< ${frame}`);
    // Answer XEP-0199 pings from the server so the session stays healthy.
    if (rootName(frame) === 'iq' && rootAttr(frame, 'type') === 'get' && frame.includes(NS.ping)) {
      const to = rootAttr(frame, 'from');
      this.send(`<iq xmlns="jabber:client" type="result" id="${xmlEscape(rootAttr(frame, 'id') || '')}"${to ? ` to="${xmlEscape(to)}"` : ''}/>`);
    }
    this.onStanza?.(frame);
    for (let i = 0; i < this.waiters.length; i++) {
      const w = this.waiters[i];
      if (w.pred(frame)) {
        this.waiters.splice(i, 1);
        clearTimeout(w.timer);
        w.resolve(frame);
        return;
      }
    }
  }

  send(xml) {
    this.log?.(`>> ${xml}`);
    this.ws.send(xml);
  }

  waitFor(pred, label = 'frame', timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const w = { pred, label, resolve, reject };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timeout waiting for ${label}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  async sendAndWait(xml, pred, label, timeoutMs) {
    const p = this.waitFor(pred, label, timeoutMs);
    this.send(xml);
    return p;
  }

  /** Sends an iq (the xml must carry id="..."); resolves with the answer, throws on type="error". */
  async iq(xml, { allowError = false, timeoutMs = 5000 } = {}) {
    const id = rootAttr(xml, 'id');
    const answer = await this.sendAndWait(xml,
      (f) => rootName(f) === 'iq' && rootAttr(f, 'id') === id, `iq ${id}`, timeoutMs);
    if (!allowError && rootAttr(answer, 'type') === 'error') throw new Error(`iq ${id} failed: ${answer}`);
    return answer;
  }

  openStream() {
    return this.sendAndWait(`<open xmlns="${NS.framing}" to="${xmlEscape(this.domain)}" version="1.0"/>`,
      (f) => rootName(f) === 'stream:features' || rootName(f) === 'features' || rootName(f) === 'stream:error',
      'stream features');
  }

  /** open, SASL PLAIN, restart, bind. Resolves with the bound JID. */
  async login() {
    await this.connect();
    let features = await this.openStream();
    if (!features.includes('>PLAIN<')) throw new Error(`PLAIN not offered: ${features}`);
    const b64 = Buffer.from(`\0${this.user}\0${this.password}`, 'utf8').toString('base64');
    const sasl = await this.sendAndWait(`<auth xmlns="${NS.sasl}" mechanism="PLAIN">${b64}</auth>`,
      (f) => rootName(f) === 'success' || rootName(f) === 'failure', 'SASL answer');
    if (rootName(sasl) !== 'success') throw new Error(`SASL failed for ${this.user}: ${sasl}`);
    features = await this.openStream();
    if (!features.includes(NS.bind)) throw new Error(`no bind feature: ${features}`);
    const id = nextId('bind');
    const bound = await this.iq(`<iq xmlns="jabber:client" type="set" id="${id}"><bind xmlns="${NS.bind}"><resource>${xmlEscape(this.resource)}</resource></bind></iq>`);
    const m = /<jid>([^<]+)<\/jid>/.exec(bound);
    this.jid = m ? m[1] : `${this.user}@${this.domain}/${this.resource}`;
    return this.jid;
  }

  /** Sends <close/> and waits (briefly) for the server's <close/> and the socket close. */
  async close(timeoutMs = 2000) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    try {
      await this.sendAndWait(`<close xmlns="${NS.framing}"/>`, (f) => rootName(f) === 'close', 'close', timeoutMs);
    } catch { /* the server may just drop the socket */ }
    try { this.ws.close(1000); } catch {}
    let timer;
    await Promise.race([this.closed, new Promise((r) => { timer = setTimeout(r, timeoutMs); })]);
    clearTimeout(timer);
  }
}

/** Tiny argv parser: --name value, --flag (true), positional ignored. */
export function parseArgs(argv, defaults = {}) {
  const out = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) { out[a.slice(2, eq)] = a.slice(eq + 1); continue; }
    const key = a.slice(2);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) out[key] = true;
    else { out[key] = next; i++; }
  }
  return out;
}

/** Lab settings shared by the scripts, from the same environment variables as lab.sh. */
export function labEnv() {
  const domain = process.env.LAB_DOMAIN || 'finesse.lab';
  const httpPort = process.env.LAB_HTTP_PORT || '5280';
  return {
    domain,
    pubsub: `pubsub.${domain}`,
    httpPort,
    wsUrl: process.env.LAB_WS_URL || `ws://127.0.0.1:${httpPort}/ws/`,
    boshUrl: process.env.LAB_BOSH_URL || `http://127.0.0.1:${httpPort}/http-bind/`,
    dir: process.env.LAB_DIR || '',
  };
}
