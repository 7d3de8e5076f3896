// Logs one extra session in to the lab and holds it for a while: e.g. a second desktop with the
// same resource, which makes Prosody replace the first session (stream error "conflict").
//
//   node --experimental-websocket samples/lab/session.mjs --user 1001 --password agentpass \
//        [--resource desktop] [--hold-ms 1500] [--verbose]
import { XmppWs, labEnv, parseArgs } from './xmpp-ws.mjs';

const env = labEnv();
const args = parseArgs(process.argv.slice(2), {
  url: env.wsUrl, user: '1001', password: 'agentpass', resource: 'desktop', 'hold-ms': '1500',
});
const log = args.verbose ? (s) => console.error(`[session] ${s}`) : null;
const client = new XmppWs({ url: args.url, domain: env.domain, user: args.user, password: args.password, resource: args.resource, log });
try {
  const jid = await client.login();
  client.send('<presence xmlns="jabber:client"/>');
  console.log(`online as ${jid}`);
  await new Promise((r) => setTimeout(r, Number(args['hold-ms'])));
  await client.close(1000);
} catch (e) {
  console.error(`[session] ${e.message}`);
  process.exit(1);
}
