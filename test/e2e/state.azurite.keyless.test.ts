// Keyless storage end to end: a real bot process on Azurite over HTTPS with OAuth (`--oauth
// basic`), configured with STORAGE_BLOB_ENDPOINT and STORAGE_QUEUE_ENDPOINT and no key at all.
// It gets its storage token from the App Service managed-identity endpoint the world emulates
// (IDENTITY_ENDPOINT, the bot's client id), for https://storage.azure.com, the audience of every
// storage account (https://learn.microsoft.com/azure/storage/blobs/authorize-access-azure-active-directory),
// and Azurite takes it as Azure Storage would take Entra's: by issuer, audience and lifetime
// (Azurite checks no signature and no rights; the role assignments are the template's, see
// unit/deploy.storage.test.ts). A token for another audience is refused, so the token is what
// authorizes: the bot has no key to sign with.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import * as https from 'node:https';
import { generateLoopbackCertificate, LoopbackCertificate } from '../../src/sandbox/certs';
import { Azurite, startAzurite } from '../fixtures/azurite';
import { BOT_APP_ID, BotProcess, World, message, post, startBot, startWorld, userOf } from './harness';

const CONTAINER = 'governance-keyless';

/** The blob names in the container, listed with a storage token as the bot would send it. */
function listBlobs(azurite: Azurite, ca: string, token: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const url = `${azurite.blobEndpoint}/${CONTAINER}?restype=container&comp=list`;
    const req = https.get(
      url,
      { ca, headers: { authorization: `Bearer ${token}`, 'x-ms-version': '2021-12-02' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`list blobs: ${res.statusCode} ${body.slice(0, 200)}`));
          resolve([...body.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]!));
        });
      },
    );
    req.on('error', reject);
  });
}

/** A token as the world's identity endpoint gives the bot, for the test's own reads. */
function tokenLikeTheBots(): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = {
    aud: 'https://storage.azure.com',
    iss: 'https://sts.windows.net/t/',
    iat: now,
    nbf: now - 60,
    exp: now + 600,
  };
  return `${part({ typ: 'JWT', alg: 'RS256' })}.${part(claims)}.c2ln`;
}

describe('Azure Storage keyless (managed identity, bearer tokens) on Azurite with OAuth', function () {
  this.timeout(90_000);
  let world: World;
  let tls: LoopbackCertificate;
  let azurite: Azurite;
  const bots: BotProcess[] = [];
  let env: Record<string, string>;

  before(async () => {
    world = await startWorld();
    // Azurite's own certificate (its own name: see certs.ts), trusted by the bot beside the world's.
    tls = await generateLoopbackCertificate('azurite-loopback');
    fs.appendFileSync(world.caFile, `\n${tls.ca}`);
    azurite = await startAzurite({ queue: true, oauth: tls });
    env = world.botEnv({
      STORAGE_BLOB_ENDPOINT: azurite.blobEndpoint,
      STORAGE_QUEUE_ENDPOINT: azurite.queueEndpoint,
      STORAGE_CONTAINER: CONTAINER,
    });
  });

  after(async () => {
    for (const b of bots) await b.stop();
    await world?.close();
    await azurite?.stop();
  });

  it('runs on the storage with a token from its managed identity: ready, and its turns land in the container', async () => {
    assert.ok(!Object.keys(env).some((k) => k === 'STORAGE_CONNECTION_STRING'), 'no key given');
    const bot = await startBot(world, env);
    bots.push(bot);
    const ready = await fetch(`${bot.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    const storageAsks = world.msiAsked.filter((a) => a.resource.startsWith('https://storage.azure.com'));
    assert.ok(storageAsks.length >= 1, JSON.stringify(world.msiAsked));
    assert.ok(
      storageAsks.every((a) => a.clientId === BOT_APP_ID),
      'as the bot identity (MicrosoftAppId)',
    );

    // A turn records its activity id (the turn de-duplication) in the shared store.
    const before = await listBlobs(azurite, tls.ca, tokenLikeTheBots());
    const r = await post(world, bot, message(world, userOf(world.seed, 0), 'help'));
    assert.equal(r.status, 200);
    const after = await listBlobs(azurite, tls.ca, tokenLikeTheBots());
    assert.ok(before.includes('health/check'), before.join(', '));
    assert.ok(after.length > before.length, `no record written by the turn: ${after.join(', ')}`);
    assert.doesNotMatch(bot.stdout() + bot.stderr(), /eyJ|Bearer/, 'no token in the logs');
  });

  it('is refused with a token for another audience: the token is what authorizes, there is no key', async () => {
    world.storageAudience = 'https://vault.azure.net';
    try {
      // A new process: the first keeps its token in its own cache.
      const bot = await startBot(world, env);
      bots.push(bot);
      const ready = await fetch(`${bot.url}/readyz`);
      assert.equal(ready.status, 503);
    } finally {
      world.storageAudience = 'https://storage.azure.com';
    }
  });

  // The whole storage contract (records, outbox leases, expiry) on the keyless clients, in a
  // mocha process that trusts Azurite's certificate (keylessContract.ts).
  it('keeps the whole storage contract on keyless clients', async function () {
    this.timeout(240_000);
    const root = projectRoot();
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), path.join(__dirname, 'keylessContract.js')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          NODE_EXTRA_CA_CERTS: world.caFile,
          KEYLESS_BLOB_ENDPOINT: azurite.blobEndpoint,
          KEYLESS_QUEUE_ENDPOINT: azurite.queueEndpoint,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    assert.equal(code, 0, out.slice(-4000));
    const passing = Number(/(\d+) passing/.exec(out)?.[1] ?? 0);
    assert.ok(passing >= 20, `the contract ran (${passing} passing)`);
    assert.doesNotMatch(out, /failing|pending/);
  });
});
