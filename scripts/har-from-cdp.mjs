// Builds a HAR the way Chrome DevTools exports it ("Export HAR (with sensitive data)"), from the
// Chrome DevTools Protocol events of one page: Network.* (HTTP and WebSocket) and Page.* (load
// times). It follows devtools-frontend's models/har/Log.ts and Writer.ts: field names and order,
// "_resourceType", "_initiator", "_priority", "_webSocketMessages" ({type, time, opcode, data},
// time in seconds since the epoch), pseudo wall times (wall time of the request's issue plus the
// monotonic delta), timings, 2-space JSON.
//
//   const rec = new CdpHarRecorder(); await rec.attach(cdpSession);  ... page activity ...
//   await rec.settle(); const har = rec.build({ include: (r) => true, version: '537.36' });

const RESOURCE_TYPES = {
  Document: 'document', Stylesheet: 'stylesheet', Image: 'image', Media: 'media', Font: 'font',
  Script: 'script', TextTrack: 'texttrack', XHR: 'xhr', Fetch: 'fetch', Prefetch: 'prefetch',
  EventSource: 'eventsource', WebSocket: 'websocket', Manifest: 'manifest', SignedExchange: 'signed-exchange',
  Ping: 'ping', CSPViolationReport: 'csp-violation-report', Preflight: 'preflight', Other: 'other',
};

function headersArray(map) {
  const out = [];
  for (const [name, value] of Object.entries(map || {})) {
    for (const v of String(value).split('\n')) out.push({ name, value: v });
  }
  return out;
}

function headerValue(arr, name) {
  const lower = name.toLowerCase();
  const values = arr.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
  return values.length ? values.join(', ') : undefined;
}

function filteredProtocolName(protocol) {
  const p = String(protocol || '').toLowerCase();
  if (p === 'h2') return 'http/2.0';
  return p.replace(/^http\/2(\.0)?\+/, 'http/2.0+');
}

const ms = (t) => (t === -1 ? -1 : t * 1000);

export class CdpHarRecorder {
  constructor() {
    this.requests = new Map(); // requestId -> record (order of creation)
    this.extraReq = new Map();
    this.extraResp = new Map();
    this.pending = [];
    this.pageEvents = { domContent: -1, load: -1 };
    this.cdp = null;
  }

  rec(id) {
    let r = this.requests.get(id);
    if (!r) {
      r = {
        id, frames: [], resourceSize: 0, transferSize: 0, issueTime: -1, wallIssueTime: 0,
        startTime: -1, responseReceivedTime: -1, endTime: -1, statusCode: 0, statusText: '',
        responseHeaders: [], requestHeaders: [], protocol: '', connectionId: '0', priority: null,
      };
      this.requests.set(id, r);
    }
    return r;
  }

  async attach(cdp) {
    this.cdp = cdp;
    const on = (ev, fn) => cdp.on(ev, (p) => { try { fn(p); } catch (e) { console.error(`har-from-cdp: ${ev}: ${e.stack}`); } });

    on('Page.domContentEventFired', (p) => { if (this.pageEvents.domContent === -1) this.pageEvents.domContent = p.timestamp; });
    on('Page.loadEventFired', (p) => { if (this.pageEvents.load === -1) this.pageEvents.load = p.timestamp; });

    on('Network.requestWillBeSent', (p) => {
      const r = this.rec(p.requestId);
      if (p.redirectResponse) { /* the samples have no redirects; keep the final request only */ }
      Object.assign(r, {
        type: RESOURCE_TYPES[p.type] || 'other', url: p.request.url, method: p.request.method,
        requestHeaders: headersArray(p.request.headers), postData: p.request.postData,
        hasPostData: !!p.request.hasPostData, initiator: p.initiator,
        priority: p.request.initialPriority ?? null, issueTime: p.timestamp, wallIssueTime: p.wallTime,
        startTime: p.timestamp, documentURL: p.documentURL,
      });
      if (r.hasPostData && r.postData === undefined) {
        this.pending.push(this.cdp.send('Network.getRequestPostData', { requestId: p.requestId })
          .then((d) => { r.postData = d.postData; }).catch(() => {}));
      }
    });
    on('Network.requestWillBeSentExtraInfo', (p) => { this.extraReq.set(p.requestId, p); });
    on('Network.resourceChangedPriority', (p) => { this.rec(p.requestId).priority = p.newPriority; });
    on('Network.responseReceived', (p) => {
      const r = this.rec(p.requestId);
      const res = p.response;
      Object.assign(r, {
        statusCode: res.status, statusText: res.statusText, responseHeaders: headersArray(res.headers),
        mimeType: res.mimeType, protocol: res.protocol || '', remoteIPAddress: res.remoteIPAddress,
        remotePort: res.remotePort, connectionId: String(res.connectionId ?? '0'), timing: res.timing,
        responseReceivedTime: p.timestamp, responseHeadersText: res.headersText,
      });
      if (res.timing) {
        // NetworkRequest.timing setter: start and headers-received times from the timing data.
        r.startTime = res.timing.requestTime;
        const headersReceived = res.timing.requestTime + res.timing.receiveHeadersEnd / 1000;
        if (r.responseReceivedTime < 0 || r.responseReceivedTime > headersReceived) r.responseReceivedTime = headersReceived;
      }
    });
    on('Network.responseReceivedExtraInfo', (p) => { this.extraResp.set(p.requestId, p); });
    on('Network.dataReceived', (p) => { this.rec(p.requestId).resourceSize += p.dataLength; });
    on('Network.loadingFinished', (p) => {
      const r = this.rec(p.requestId);
      r.endTime = p.timestamp;
      r.transferSize = p.encodedDataLength;
      this.pending.push(this.cdp.send('Network.getResponseBody', { requestId: p.requestId })
        .then((b) => { r.body = b.body; r.base64Encoded = b.base64Encoded; })
        .catch(() => { r.body = null; }));
    });
    on('Network.loadingFailed', (p) => {
      const r = this.rec(p.requestId);
      r.endTime = p.timestamp;
      r.failed = p.errorText;
      r.canceled = p.canceled;
    });

    // WebSocket
    on('Network.webSocketCreated', (p) => {
      const r = this.rec(p.requestId);
      Object.assign(r, { type: 'websocket', url: p.url, initiator: p.initiator, method: 'GET' });
    });
    on('Network.webSocketWillSendHandshakeRequest', (p) => {
      const r = this.rec(p.requestId);
      r.requestHeaders = headersArray(p.request.headers);
      r.issueTime = p.timestamp; r.startTime = p.timestamp; r.wallIssueTime = p.wallTime;
    });
    on('Network.webSocketHandshakeResponseReceived', (p) => {
      const r = this.rec(p.requestId);
      const res = p.response;
      r.statusCode = res.status; r.statusText = res.statusText;
      r.responseHeaders = headersArray(res.headers);
      r.responseHeadersText = res.headersText || '';
      if (res.requestHeaders) r.requestHeaders = headersArray(res.requestHeaders);
      if (res.requestHeadersText) r.requestHeadersText = res.requestHeadersText;
      r.responseReceivedTime = p.timestamp;
      r.protocol = 'websocket';
    });
    const frame = (type) => (p) => {
      const r = this.rec(p.requestId);
      r.frames.push({ type, time: p.timestamp, opcode: p.response.opcode, data: p.response.payloadData });
    };
    on('Network.webSocketFrameSent', frame('send'));
    on('Network.webSocketFrameReceived', frame('receive'));
    on('Network.webSocketFrameError', (p) => {
      this.rec(p.requestId).frames.push({ type: 'error', time: p.timestamp, opcode: -1, data: p.errorMessage });
    });
    on('Network.webSocketClosed', (p) => { this.rec(p.requestId).endTime = p.timestamp; });

    await cdp.send('Network.enable', { maxPostDataSize: 65536 });
    await cdp.send('Page.enable');
  }

  /** Waits for response bodies and post data that are still being fetched. */
  async settle() {
    while (this.pending.length) {
      const batch = this.pending.splice(0);
      await Promise.all(batch);
    }
  }

  pseudoWall(r, t) { return r.wallIssueTime ? r.wallIssueTime - r.issueTime + t : t; }

  merged(r) {
    const m = { ...r };
    const xq = this.extraReq.get(r.id);
    if (xq && xq.headers) m.requestHeaders = headersArray(xq.headers);
    const xs = this.extraResp.get(r.id);
    if (xs) {
      if (xs.headers) m.responseHeaders = headersArray(xs.headers);
      if (xs.headersText) m.responseHeadersText = xs.headersText;
    }
    return m;
  }

  timings(r) {
    const t = r.timing;
    const result = { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: 0, receive: 0, _blocked_queueing: -1 };
    const queued = r.issueTime < r.startTime ? r.startTime - r.issueTime : -1;
    result.blocked = ms(queued);
    result._blocked_queueing = ms(queued);
    let highest = 0;
    if (t) {
      const least = (vals) => vals.reduce((best, v) => (v >= 0 && v < best ? v : best), Infinity);
      const blockedStart = least([t.dnsStart, t.connectStart, t.sendStart]);
      if (blockedStart !== Infinity) result.blocked += blockedStart;
      if (t.proxyEnd !== -1) result._blocked_proxy = t.proxyEnd - t.proxyStart;
      if (result._blocked_proxy && result._blocked_proxy > result.blocked) result.blocked = result._blocked_proxy;
      const dnsStart = t.dnsEnd >= 0 ? blockedStart : 0;
      const dnsEnd = t.dnsEnd >= 0 ? t.dnsEnd : -1;
      result.dns = dnsEnd - dnsStart;
      const sslStart = t.sslEnd > 0 ? t.sslStart : 0;
      const sslEnd = t.sslEnd > 0 ? t.sslEnd : -1;
      result.ssl = sslEnd - sslStart;
      const connectStart = t.connectEnd >= 0 ? least([dnsEnd, blockedStart]) : 0;
      const connectEnd = t.connectEnd >= 0 ? t.connectEnd : -1;
      result.connect = connectEnd - connectStart;
      const sendStart = t.sendEnd >= 0 ? Math.max(connectEnd, dnsEnd, blockedStart) : 0;
      const sendEnd = t.sendEnd >= 0 ? t.sendEnd : 0;
      result.send = Math.max(sendEnd - sendStart, 0);
      highest = Math.max(sendEnd, connectEnd, sslEnd, dnsEnd, blockedStart, 0);
      result._workerStart = t.workerStart;
      result._workerReady = t.workerReady;
      result._workerFetchStart = t.workerFetchStart;
      result._workerRespondWithSettled = t.workerRespondWithSettled;
    } else if (r.responseReceivedTime === -1) {
      result.blocked = ms(r.endTime - r.issueTime);
      return result;
    }
    const requestTime = t ? t.requestTime : r.startTime;
    const waitEnd = ms(r.responseReceivedTime - requestTime);
    result.wait = waitEnd - highest;
    const receiveEnd = ms(r.endTime - requestTime);
    result.receive = Math.max(receiveEnd - waitEnd, 0);
    return result;
  }

  entry(r, pageId) {
    r = this.merged(r);
    const timings = this.timings(r);
    let time = 0;
    for (const k of ['blocked', 'dns', 'connect', 'send', 'wait', 'receive']) time += Math.max(timings[k], 0);

    let ip = r.remoteIPAddress ? `${r.remoteIPAddress}:${r.remotePort}` : '';
    const colon = ip.lastIndexOf(':');
    const connection = colon !== -1 ? ip.substring(colon + 1) : undefined;
    if (colon !== -1) ip = ip.substring(0, colon);

    let initiator = null;
    if (r.initiator) {
      initiator = { type: r.initiator.type };
      for (const k of ['url', 'requestId', 'lineNumber']) if (r.initiator[k] !== undefined) initiator[k] = r.initiator[k];
      if (r.initiator.stack) initiator.stack = r.initiator.stack;
    }

    const requestHttpVersion = () => {
      if (r.requestHeadersText) {
        const m = /(HTTP\/\d+\.\d+)$/.exec(r.requestHeadersText.split(/\r\n/)[0]);
        return m ? m[1] : 'HTTP/0.9';
      }
      return headerValue(r.requestHeaders, 'version') || headerValue(r.requestHeaders, ':version') || filteredProtocolName(r.protocol);
    };
    const responseHttpVersion = () => {
      if (r.responseHeadersText) {
        const m = /^(HTTP\/\d+\.\d+)/.exec(r.responseHeadersText.split(/\r\n/)[0]);
        return m ? m[1] : 'HTTP/0.9';
      }
      return headerValue(r.responseHeaders, 'version') || headerValue(r.responseHeaders, ':version') || filteredProtocolName(r.protocol);
    };

    const url = r.url.split('#')[0];
    const queryString = [];
    try { for (const [name, value] of new URL(url).searchParams) queryString.push({ name, value }); } catch { /* ignore */ }

    const request = {
      method: r.method, url, httpVersion: requestHttpVersion(), headers: r.requestHeaders,
      queryString, cookies: [], headersSize: r.requestHeadersText ? r.requestHeadersText.length : -1,
      bodySize: r.postData ? Buffer.byteLength(r.postData, 'utf8') : 0,
    };
    if (r.postData) request.postData = { mimeType: headerValue(r.requestHeaders, 'Content-Type') || '', text: r.postData };

    const bodySize = r.responseHeadersText ? r.transferSize - r.responseHeadersText.length : -1;
    const content = { size: r.resourceSize, mimeType: r.mimeType || 'x-unknown' };
    if (r.responseHeadersText) content.compression = r.resourceSize - bodySize;
    if (r.body !== undefined && r.body !== null && r.type !== 'websocket') {
      content.text = r.body;
      if (r.base64Encoded) content.encoding = 'base64';
    }
    const response = {
      status: r.statusCode, statusText: r.statusText, httpVersion: responseHttpVersion(),
      headers: r.responseHeaders, cookies: [], content,
      redirectURL: headerValue(r.responseHeaders, 'Location') || '',
      headersSize: r.responseHeadersText ? r.responseHeadersText.length : -1, bodySize,
      _transferSize: r.transferSize, _error: r.failed ?? null, _fetchedViaServiceWorker: false,
    };

    const e = {};
    if (r.connectionId !== '0') e._connectionId = r.connectionId;
    e._initiator = initiator;
    e._priority = r.priority;
    e._resourceType = r.type;
    if (r.type === 'websocket') {
      e._webSocketMessages = r.frames.map((f) => ({
        type: f.type, time: this.pseudoWall(r, f.time), opcode: f.opcode, data: f.data,
      }));
    }
    e.cache = {};
    if (connection !== undefined) e.connection = connection;
    if (pageId) e.pageref = pageId;
    e.request = request;
    e.response = response;
    e.serverIPAddress = ip.replace(/\[\]/g, '');
    e.startedDateTime = new Date(r.wallIssueTime * 1000).toISOString();
    e.time = time;
    e.timings = timings;
    return e;
  }

  /** options: include(record) -> bool, version (creator version). */
  build({ include = () => true, version = '537.36' } = {}) {
    const all = [...this.requests.values()].filter((r) => r.issueTime !== -1 && r.url);
    const doc = all.find((r) => r.type === 'document');
    const chosen = all.filter(include).sort((a, b) => a.issueTime - b.issueTime);
    const pages = [];
    let pageId;
    if (doc) {
      pageId = 'page_1';
      const start = doc.startTime;
      const rel = (t) => (t === -1 || start === -1 ? -1 : ms(t - start));
      pages.push({
        startedDateTime: new Date(this.pseudoWall(doc, start) * 1000).toISOString(),
        id: pageId, title: doc.url,
        pageTimings: { onContentLoad: rel(this.pageEvents.domContent), onLoad: rel(this.pageEvents.load) },
      });
    }
    return {
      log: {
        version: '1.2', creator: { name: 'WebInspector', version }, pages,
        entries: chosen.map((r) => this.entry(r, pageId)),
      },
    };
  }
}

export function harJson(har) { return JSON.stringify(har, null, 2); }
