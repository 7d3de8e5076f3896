// Keeps the lab's "finesse" account online with available presence, the way the Finesse web
// application is always logged in to Openfire. An agent desktop reports "connected" only after a
// presence from finesse@<domain> arrives (its roster holds finesse with subscription "both").
//
//   node --experimental-websocket samples/lab/finesse-presence.mjs [--ready-file F] [--verbose]
//
// Exits when the server closes the connection (lab.sh then stops the lab), or on SIGTERM/SIGINT
// after a clean <close/>.
import { writeFileSync, rmSync } from 'node:fs';
import { XmppWs, labEnv, parseArgs } from './xmpp-ws.mjs';

const env = labEnv();
const args = parseArgs(process.argv.slice(2), {
  url: env.wsUrl, user: 'finesse', password: process.env.LAB_FINESSE_PASSWORD || 'finessepass',
  resource: 'finesse', 'ready-file': '',
});
const log = args.verbose ? (s) => console.error(`[finesse-presence] ${s}`) : null;

const client = new XmppWs({
  url: args.url, domain: env.domain, user: args.user, password: args.password,
  resource: args.resource, log,
});

let stopping = false;
async function stop(sig) {
  if (stopping) return;
  stopping = true;
  log?.(`stopping on ${sig}`);
  if (args['ready-file']) rmSync(args['ready-file'], { force: true });
  await client.close(1000);
  process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

try {
  const jid = await client.login();
  client.send('<presence xmlns="jabber:client"><priority>0</priority></presence>');
  if (args['ready-file']) writeFileSync(args['ready-file'], `${jid}\n`);
  console.error(`[finesse-presence] online as ${jid}`);
} catch (e) {
  console.error(`[finesse-presence] login failed: ${e.message}`);
  process.exit(1);
}

const { code } = await client.closed;
if (!stopping) {
  if (args['ready-file']) rmSync(args['ready-file'], { force: true });
  console.error(`[finesse-presence] server closed the connection (${code})`);
  process.exit(1);
}
