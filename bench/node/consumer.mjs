// The alternative a user would pick instead of the platform: a Node.js Kafka consumer (kafkajs) that runs the same
// workflow file, unmodified, with Node's own fetch and a HubSpot token it obtained and refreshes itself.
//
// Delivery semantics as close to workflow-executor's as Node makes easy: one consumer group, each polled batch spread
// over LANES lanes by record key (runs of one key in order, different keys in parallel), the batch's offsets committed
// once every run of it finished (at least once). What it leaves out (and the executor does): sandboxing, deadlines,
// retries/DLQ, run events on Kafka, a crash record per attempt, rate budgets, token refresh by another service.
//
// Protocol with the benchmark driver (stdout): "READY" once the group is joined, then every 100 ms a block of
// "D <webhookId> <doneEpochMs>" (run succeeded) and "F <webhookId> <doneEpochMs> <message>" (run failed) lines.
// Console output of workflows goes to NODE_BENCH_LOG (a log file, as a service's logs would).
//
// Settings (environment): KAFKA_BROKERS, TOPIC, GROUP, WORKFLOW (path of the .js file), HUBSPOT_URL (the emulator),
// HUBSPOT_PORTAL, HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET, LANES (16), NODE_BENCH_LOG.
import { readFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { format } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const env = (name, dflt) => {
  const v = process.env[name];
  if (v === undefined || v === '') {
    if (dflt === undefined) throw new Error(`${name} is not set`);
    return dflt;
  }
  return v;
};
const BROKERS = env('KAFKA_BROKERS', '127.0.0.1:9092').split(',');
const TOPIC = env('TOPIC');
const GROUP = env('GROUP');
const WORKFLOW = env('WORKFLOW');
const HUBSPOT_URL = env('HUBSPOT_URL', 'http://127.0.0.1:8090');
const PORTAL = env('HUBSPOT_PORTAL', '87654321');
const CLIENT_ID = env('HUBSPOT_CLIENT_ID', 'jsw-local-client');
const CLIENT_SECRET = env('HUBSPOT_CLIENT_SECRET', 'jsw-local-secret');
const LANES = Number(env('LANES', '16'));
const REDIRECT_URI = 'http://localhost:3000/oauth/hubspot/callback';
const SCOPES = 'crm.objects.contacts.read crm.objects.contacts.write';

// ---------------------------------------------------------------- console of workflows: a log file
const log = createWriteStream(env('NODE_BENCH_LOG', '/dev/null'), { flags: 'a' });
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  console[level] = (...args) => log.write(`${level} ${format(...args)}\n`);
}

// ---------------------------------------------------------------- HubSpot OAuth, as a Node app does it
// Once: the authorization-code flow (the person's consent is given at the emulator's page, as a browser would);
// then the app keeps the refresh token and refreshes the access token shortly before it expires.
async function tokenRequest(fields) {
  const r = await fetch(`${HUBSPOT_URL}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...fields }),
  });
  if (!r.ok) throw new Error(`token endpoint answered ${r.status}: ${await r.text()}`);
  return r.json();
}

async function authorize() {
  const url = `${HUBSPOT_URL}/oauth/${PORTAL}/authorize?` + new URLSearchParams({
    client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: SCOPES, state: 'node-bench',
  });
  const page = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html' } });
  let location = page.headers.get('location');
  if (!location) {
    const html = await page.text();
    const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1]?.replaceAll('&amp;', '&');
    if (!action) throw new Error(`consent page without a form (HTTP ${page.status})`);
    const fields = new URLSearchParams();
    for (const [tag] of html.matchAll(/<input[^>]*>/gi)) {
      const name = /\bname="([^"]*)"/i.exec(tag)?.[1];
      const type = /\btype="([^"]*)"/i.exec(tag)?.[1];
      if (name && type?.toLowerCase() !== 'submit') {
        fields.set(name, (/\bvalue="([^"]*)"/i.exec(tag)?.[1] ?? '').replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
      }
    }
    fields.set('decision', 'grant');
    const granted = await fetch(new URL(action, url), {
      method: 'POST', redirect: 'manual', body: fields,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    location = granted.headers.get('location');
    if (!location) throw new Error(`consent answered HTTP ${granted.status} without a redirect`);
  }
  const code = new URL(location, url).searchParams.get('code');
  if (!code) throw new Error('consent was not granted');
  return tokenRequest({ grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, code });
}

let tokens = await authorize();
let expiresAt = Date.now() + tokens.expires_in * 1000;
let refreshing = null;

async function accessToken() {
  if (Date.now() > expiresAt - 5 * 60_000) {
    // one refresh at a time; concurrent runs wait for it
    refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
      .then((t) => { tokens = { ...tokens, ...t }; expiresAt = Date.now() + t.expires_in * 1000; })
      .finally(() => { refreshing = null; });
    await refreshing;
  }
  return tokens.access_token;
}

const api = {
  // the workflow contract: resolves to { token, error } and never throws
  async getOAuthToken(handle) {
    if (handle !== 'my-hubspot') return { token: null, error: `unknown connection '${handle}'` };
    try {
      return { token: await accessToken(), error: null };
    } catch (e) {
      return { token: null, error: `token refresh failed: ${e.message}` };
    }
  },
};

// ---------------------------------------------------------------- Node's own fetch, pointed at the emulator
// The workflow calls https://api.hubapi.com as in production; here that base goes to the emulator (the executor does
// the same mapping with jsw.hubspot.api-url).
const nodeFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  return nodeFetch(url.startsWith('https://api.hubapi.com') ? HUBSPOT_URL + url.slice('https://api.hubapi.com'.length) : url, init);
};

// ---------------------------------------------------------------- the workflow file, unmodified
const source = await readFile(WORKFLOW, 'utf8');
const { Workflow } = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));

// ---------------------------------------------------------------- results to the driver
let out = [];
const flush = () => {
  if (out.length) {
    process.stdout.write(out.join('\n') + '\n');
    out = [];
  }
};
setInterval(flush, 100).unref();

function javaHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

async function runOne(message) {
  const headers = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = v === undefined ? undefined : v.toString();
  if (headers['X-Shopify-Topic'] !== 'orders/create') return; // the binding's header match
  const webhookId = headers['X-Shopify-Webhook-Id'] ?? `${TOPIC}/${message.offset}`;
  headers['X-JSW-Idempotency-Key'] = webhookId;
  try {
    const data = JSON.parse(message.value.toString());
    await new Workflow().start(data, headers, api);
    out.push(`D ${webhookId} ${Date.now()}`);
  } catch (e) {
    out.push(`F ${webhookId} ${Date.now()} ${String(e?.message ?? e).replace(/\s+/g, ' ').slice(0, 300)}`);
  }
}

const kafka = new Kafka({ clientId: 'node-bench', brokers: BROKERS, logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId: GROUP });
await consumer.connect();
await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('READY\n'));
await consumer.run({
  eachBatchAutoResolve: false,
  eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
    const lanes = Array.from({ length: LANES }, () => []);
    for (const m of batch.messages) {
      // as the executor does: lane = floorMod(hash(topic + NUL + key), lanes); keyless records by partition
      const h = javaHash(m.key ? `${batch.topic}\u0000${m.key.toString()}` : `${batch.topic}-${batch.partition}`);
      lanes[((h % LANES) + LANES) % LANES].push(m);
    }
    await Promise.all(lanes.filter((l) => l.length).map(async (lane) => {
      for (const m of lane) await runOne(m);
    }));
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary();
    await heartbeat();
  },
});

const stop = async () => {
  flush();
  await consumer.disconnect().catch(() => {});
  log.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
