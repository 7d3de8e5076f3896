#!/usr/bin/env node
// Converts a Chrome DevTools HAR into the shape Firefox's network monitor exports
// (devtools/client/netmonitor/src/har/har-builder.js): creator/browser "Firefox", no
// "_webSocketMessages" (Firefox and Safari export no WebSocket frames), no Chrome-only fields
// ("_resourceType", "_initiator", "_priority", ...), Firefox's field order, integer timings,
// "_securityState". The result is labelled as converted in log.comment: it is NOT a recording.
//
//   node scripts/har-to-firefox.mjs samples/ws-agent-healthy.har samples/firefox-no-frames.har
import fs from 'node:fs';
import path from 'node:path';

const [input, output, version = '128.0'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: har-to-firefox.mjs CHROME.har OUT.har [FIREFOX_VERSION]');
  process.exit(2);
}
const chrome = JSON.parse(fs.readFileSync(input, 'utf8'));
const up = (v) => (/^http\/\d/i.test(v) ? v.toUpperCase() : v);
const int = (v) => (v === undefined || v < 0 ? 0 : Math.round(v));

function entry(e) {
  const r = e.request;
  const s = e.response;
  const request = {
    bodySize: r.postData?.text ? r.postData.text.length : 0,
    method: r.method,
    url: r.url,
    httpVersion: up(r.httpVersion),
    headers: r.headers,
    cookies: r.cookies || [],
    queryString: r.queryString || [],
    headersSize: r.headersSize,
  };
  if (r.postData) request.postData = { mimeType: r.postData.mimeType, params: [], text: r.postData.text };
  const content = { mimeType: s.content.mimeType === 'x-unknown' ? '' : s.content.mimeType, size: s.content.size };
  if (s.content.encoding) content.encoding = s.content.encoding;
  if (s.content.text !== undefined) content.text = s.content.text;
  const response = {
    status: s.status,
    statusText: s.statusText,
    httpVersion: up(s.httpVersion),
    headers: s.headers,
    cookies: s.cookies || [],
    content,
    redirectURL: s.redirectURL || '',
    headersSize: s.headersSize,
    bodySize: s._transferSize > 0 ? s._transferSize : (s.status === 101 ? 0 : -1),
  };
  const t = e.timings;
  const timings = {
    blocked: int(t.blocked), dns: int(t.dns), connect: int(t.connect), ssl: int(t.ssl),
    send: int(t.send), wait: int(t.wait), receive: int(t.receive),
  };
  const out = {
    startedDateTime: e.startedDateTime, request, response, cache: {}, timings,
    time: Object.values(timings).reduce((a, b) => a + b, 0),
    _securityState: 'insecure',
  };
  let ip = e.serverIPAddress;
  let port = e.connection;
  if (!ip) {
    // Chrome gives WebSocket entries no address; Firefox does. Take it from the URL.
    const u = new URL(r.url);
    ip = u.hostname;
    port = u.port || (u.protocol === 'wss:' ? '443' : '80');
  }
  out.serverIPAddress = ip;
  if (port) out.connection = String(port);
  out.pageref = 'page_1';
  return out;
}

const page = chrome.log.pages?.[0];
const firefox = {
  log: {
    version: '1.2',
    creator: { name: 'Firefox', version },
    browser: { name: 'Firefox', version },
    comment: `CONVERTED, not recorded: made from ${path.basename(input)} (a Chrome DevTools export) by scripts/har-to-firefox.mjs to show the shape of a Firefox export, which carries no WebSocket frames.`,
    pages: page ? [{ id: 'page_1', pageTimings: { onContentLoad: int(page.pageTimings.onContentLoad), onLoad: int(page.pageTimings.onLoad) }, startedDateTime: page.startedDateTime, title: page.title }] : [],
    entries: chrome.log.entries.map(entry),
  },
};
fs.writeFileSync(output, JSON.stringify(firefox, null, '  ') + '\n');
console.error(`[har-to-firefox] ${input} -> ${output}: ${firefox.log.entries.length} entries, no frames`);
