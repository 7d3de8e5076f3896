// Publishes Finesse-shaped notifications to the lab's pubsub service, or creates its nodes.
//
//   node --experimental-websocket samples/lab/publish.mjs --node /finesse/api/User/1001 \
//        [--count 5] [--rate 2] [--states READY,NOT_READY,READY] [--request-id ID|--unsolicited]
//        [--event PUT]
//   ... --node NODE --burst N [--seconds S]   N a second for S seconds, pipelined (load tests)
//   node --experimental-websocket samples/lab/publish.mjs --create-nodes [N1,N2,...]
//
// Each item is <notification xmlns="http://jabber.org/protocol/pubsub"> carrying a Finesse
// <Update> as XML-escaped TEXT (not child elements), as Finesse does:
//   <Update><data><user>...<state>READY</state>...</user></data><event>PUT</event>
//   <requestId>...</requestId><source>/finesse/api/User/1001</source></Update>
// Nodes under /finesse/api/SystemInfo get a <SystemInfo> with <status> from --states
// (IN_SERVICE, OUT_OF_SERVICE, ...). Team nodes (/finesse/api/Team/{id}/Users) get a <user>.
// Logs in as the pubsub admin (LAB_ADMIN_USER/LAB_ADMIN_PASSWORD, default admin/adminpass).
import { randomUUID } from 'node:crypto';
import { XmppWs, labEnv, parseArgs, xmlEscape, nextId, NS } from './xmpp-ws.mjs';

const env = labEnv();
export const DEFAULT_NODES = [
  '/finesse/api/User/1001', '/finesse/api/User/2001', '/finesse/api/Team/1/Users',
  '/finesse/api/SystemInfo',
];
const USERS = {
  1001: { firstName: 'Alice', lastName: 'Agent', loginName: 'alice', extension: '1001001', roles: ['Agent'], teamId: 1, teamName: 'Lab Team 1' },
  2001: { firstName: 'Sam', lastName: 'Supervisor', loginName: 'sam', extension: '2001001', roles: ['Agent', 'Supervisor'], teamId: 1, teamName: 'Lab Team 1' },
};

export function userXml(id, state, now = new Date()) {
  const u = USERS[id] || { firstName: `User${id}`, lastName: 'Lab', loginName: `user${id}`, extension: `${id}001`, roles: ['Agent'], teamId: 1, teamName: 'Lab Team 1' };
  const notReady = state === 'NOT_READY';
  return '<user>'
    + `<dialogs>/finesse/api/User/${id}/Dialogs</dialogs>`
    + `<extension>${u.extension}</extension>`
    + `<firstName>${u.firstName}</firstName><lastName>${u.lastName}</lastName>`
    + `<loginId>${id}</loginId><loginName>${u.loginName}</loginName>`
    + '<mediaType>1</mediaType><pendingState></pendingState>'
    + `<reasonCodeId>${notReady ? '1' : '-1'}</reasonCodeId>`
    + (notReady ? '<reasonCode><category>NOT_READY</category><code>10</code><label>Break</label><id>1</id><uri>/finesse/api/ReasonCode/1</uri></reasonCode>' : '')
    + `<roles>${u.roles.map((r) => `<role>${r}</role>`).join('')}</roles>`
    + '<settings><wrapUpOnIncoming>OPTIONAL</wrapUpOnIncoming></settings>'
    + `<state>${state}</state><stateChangeTime>${now.toISOString()}</stateChangeTime>`
    + `<teamId>${u.teamId}</teamId><teamName>${u.teamName}</teamName>`
    + `<uri>/finesse/api/User/${id}</uri>`
    + '</user>';
}

/** The Finesse <Update> document for one notification on `node`. */
export function updateXml(node, state, { event = 'PUT', requestId = '' } = {}) {
  let data; let source = node;
  let m;
  if (/\/SystemInfo$/.test(node)) {
    data = `<SystemInfo><currentTimestamp>${new Date().toISOString()}</currentTimestamp>`
      + '<deploymentType>UCCX</deploymentType><primaryNode><host>finesse-a.lab</host></primaryNode>'
      + '<secondaryNode><host>finesse-b.lab</host></secondaryNode>'
      + `<status>${state}</status><uri>/finesse/api/SystemInfo</uri>`
      + `<xmppDomain>${env.domain}</xmppDomain><xmppPubSubDomain>${env.pubsub}</xmppPubSubDomain></SystemInfo>`;
  } else if ((m = /^\/finesse\/api\/Team\/([^/]+)\/Users$/.exec(node))) {
    const member = process.env.LAB_TEAM_MEMBER || '1001';
    data = userXml(member, state);
    source = `/finesse/api/User/${member}`;
  } else if ((m = /^\/finesse\/api\/User\/([^/]+)$/.exec(node))) {
    data = userXml(m[1], state);
  } else {
    data = `<state>${state}</state>`;
  }
  return `<Update><data>${data}</data><event>${event}</event>`
    + `<requestId>${requestId}</requestId><source>${source}</source></Update>`;
}

export function publishIq(node, update) {
  return `<iq xmlns="jabber:client" type="set" to="${env.pubsub}" id="${nextId('pub')}">`
    + `<pubsub xmlns="${NS.pubsub}"><publish node="${xmlEscape(node)}"><item>`
    + `<notification xmlns="${NS.pubsub}">${xmlEscape(update)}</notification>`
    + '</item></publish></pubsub></iq>';
}

export function createIq(node) {
  // Open access model (anyone on the server may subscribe), items not kept, last item never sent.
  const field = (v, val) => `<field var="${v}"><value>${val}</value></field>`;
  return `<iq xmlns="jabber:client" type="set" to="${env.pubsub}" id="${nextId('create')}">`
    + `<pubsub xmlns="${NS.pubsub}"><create node="${xmlEscape(node)}"/><configure>`
    + '<x xmlns="jabber:x:data" type="submit">'
    + field('FORM_TYPE', 'http://jabber.org/protocol/pubsub#node_config')
    + field('pubsub#access_model', 'open')
    + field('pubsub#persist_items', 'false')
    + field('pubsub#send_last_published_item', 'never')
    + '</x></configure></pubsub></iq>';
}

async function main() {
  const args = parseArgs(process.argv.slice(2), {
    url: env.wsUrl, user: process.env.LAB_ADMIN_USER || 'admin',
    password: process.env.LAB_ADMIN_PASSWORD || 'adminpass', resource: `publisher-${process.pid}`,
    count: '3', rate: '2', states: 'READY,NOT_READY,READY', event: 'PUT',
  });
  const log = args.verbose ? (s) => console.error(`[publish] ${s}`) : null;
  const client = new XmppWs({ url: args.url, domain: env.domain, user: args.user, password: args.password, resource: args.resource, log });
  await client.login();

  if (args['create-nodes']) {
    const nodes = args['create-nodes'] === true ? DEFAULT_NODES : String(args['create-nodes']).split(',');
    for (const node of nodes) {
      const answer = await client.iq(createIq(node), { allowError: true });
      const ok = answer.includes('type="result"') || answer.includes("type='result'");
      const exists = answer.includes('<conflict');
      if (!ok && !exists) throw new Error(`create ${node} failed: ${answer}`);
      console.log(`node ${node}: ${ok ? 'created' : 'exists'}`);
    }
  }

  if (args.node && args.burst) {
    // Load: --burst N publishes N a second for --seconds S, pipelined (not one at a time), and
    // reports the rate actually reached.
    const perSecond = Number(args.burst), seconds = Number(args.seconds || 3);
    const t0 = Date.now();
    let sent = 0;
    for (let s = 0; s < seconds; s++) {
      const tick = Date.now();
      const batch = [];
      for (let i = 0; i < perSecond; i++, sent++)
        batch.push(client.iq(publishIq(args.node, updateXml(args.node, i % 2 ? 'READY' : 'NOT_READY', { event: 'PUT', requestId: '' }))));
      await Promise.all(batch);
      const spent = Date.now() - tick;
      if (spent < 1000) await new Promise((r) => setTimeout(r, 1000 - spent));
    }
    console.log(`burst: ${sent} published in ${((Date.now() - t0) / 1000).toFixed(2)} s`);
  } else if (args.node) {
    const count = Number(args.count);
    const rate = Number(args.rate) || 1;
    const states = String(args.states).split(',').filter(Boolean);
    for (let i = 0; i < count; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000 / rate));
      const requestId = args.unsolicited ? '' : (args['request-id'] ?? randomUUID());
      const state = states[i % states.length];
      await client.iq(publishIq(args.node, updateXml(args.node, state, { event: args.event, requestId })));
      console.log(`published ${args.node} ${state}${requestId ? ` requestId=${requestId}` : ''}`);
    }
  }
  await client.close(1000);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => { console.error(`[publish] ${e.message}`); process.exit(1); });
}
