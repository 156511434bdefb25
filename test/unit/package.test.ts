import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { projectRoot } from '../../src/paths';

const root = projectRoot();
const script = path.join(root, 'scripts', 'package.js');

const ENV = [
  'TEAMS_APP_ID=6b8f2f5e-1f0a-4c55-9f1c-3a2b4c5d6e7f',
  'BOT_ID=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  'AAD_APP_CLIENT_ID=1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
  'BOT_DOMAIN=governance-bot.contoso.example',
  'APP_NAME_SUFFIX=" (dev)"',
  'DEVELOPER_WEBSITE_URL=https://www.fabrikam.example',
  'PRIVACY_URL=https://www.fabrikam.example/privacy',
  'TERMS_OF_USE_URL=https://www.fabrikam.example/terms',
].join('\n');

/** A ZIP reader written apart from scripts/zip.js, so the writer is checked by other code. */
function unzip(buffer: Buffer): Map<string, Buffer> {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'end of central directory present');
  const count = buffer.readUInt16LE(eocd + 10);
  let at = buffer.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    assert.equal(buffer.readUInt32LE(at), 0x02014b50, 'central directory header');
    const method = buffer.readUInt16LE(at + 10);
    const crc = buffer.readUInt32LE(at + 16);
    const compressedSize = buffer.readUInt32LE(at + 20);
    const size = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const localAt = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    assert.equal(buffer.readUInt32LE(localAt), 0x04034b50, `local header of ${name}`);
    const dataAt = localAt + 30 + buffer.readUInt16LE(localAt + 26) + buffer.readUInt16LE(localAt + 28);
    const raw = buffer.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    assert.equal(data.length, size, `size of ${name}`);
    assert.equal(zlib.crc32(data), crc, `CRC-32 of ${name}`);
    files.set(name, data);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function runPackage(envText: string): { status: number | null; stderr: string; zipPath: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-package-'));
  const envFile = path.join(dir, '.env.test');
  fs.writeFileSync(envFile, envText);
  const zipPath = path.join(dir, 'appPackage.test.zip');
  const r = spawnSync(process.execPath, [script, '--env-file', envFile, '--out', zipPath], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, zipPath };
}

async function validateOffline(manifest: unknown): Promise<string[]> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (() => Promise.reject(new Error('no network in tests'))) as typeof fetch;
  try {
    return await AppManifestUtils.validateAgainstSchema(manifest as never);
  } finally {
    globalThis.fetch = realFetch;
  }
}

// Package layout: https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
describe('npm run package', function () {
  this.timeout(20_000);

  it('zips the filled manifest and both icons, and the result validates against the bundled schema', async () => {
    const r = runPackage(ENV);
    assert.equal(r.status, 0, r.stderr);
    const files = unzip(fs.readFileSync(r.zipPath));
    assert.deepEqual([...files.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
    const text = files.get('manifest.json')!.toString('utf8');
    assert.doesNotMatch(text, /\$\{\{/, 'no placeholder left');
    const manifest = JSON.parse(text) as { id: string; bots: Array<{ botId: string }>; name: { short: string } };
    assert.equal(manifest.id, '6b8f2f5e-1f0a-4c55-9f1c-3a2b4c5d6e7f');
    assert.equal(manifest.bots[0]!.botId, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
    assert.equal(manifest.name.short, 'Governance Bot (dev)');
    assert.deepEqual(await validateOffline(manifest), []);
    for (const icon of ['color.png', 'outline.png']) {
      assert.ok(files.get(icon)!.equals(fs.readFileSync(path.join(root, 'manifest', icon))), `${icon} unchanged`);
    }
  });

  it('refuses an unfilled variable and names every one', () => {
    const r = runPackage('TEAMS_APP_ID=6b8f2f5e-1f0a-4c55-9f1c-3a2b4c5d6e7f\n');
    assert.equal(r.status, 1);
    for (const name of ['BOT_ID', 'BOT_DOMAIN', 'APP_NAME_SUFFIX']) assert.match(r.stderr, new RegExp(name));
    assert.equal(fs.existsSync(r.zipPath), false, 'no package written');
  });

  it('refuses a link left empty in the environment file, naming it', () => {
    const r = runPackage(ENV.replace(/^PRIVACY_URL=.*$/m, 'PRIVACY_URL='));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /empty in .*: PRIVACY_URL/);
    assert.equal(fs.existsSync(r.zipPath), false, 'no package written');
  });

  it('refuses a value left as the example placeholder', () => {
    const r = runPackage(ENV.replace(/^BOT_DOMAIN=.*$/m, 'BOT_DOMAIN=<your bot domain>'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /example placeholder: BOT_DOMAIN/);
  });

  // env/.env.dev.example's ids (all zeros) and hosts (names reserved for examples, RFC 2606) are
  // stand-ins: a package built from them installs a Teams app whose bot and sign-in can never work.
  it('refuses values copied unchanged from env/.env.dev.example, naming each', () => {
    const example = fs.readFileSync(path.join(root, 'env', '.env.dev.example'), 'utf8');
    const r = runPackage(example);
    assert.equal(r.status, 1, 'the example file as it is makes no package');
    const named = /example placeholder: ([\w, ]+)/.exec(r.stderr)?.[1]?.split(', ') ?? [];
    for (const name of ['TEAMS_APP_ID', 'BOT_ID', 'AAD_APP_CLIENT_ID', 'BOT_DOMAIN', 'DEVELOPER_WEBSITE_URL']) {
      assert.ok(named.includes(name), `${name} not named in: ${r.stderr}`);
    }
    assert.equal(fs.existsSync(r.zipPath), false, 'no package written');
    // One example value among real ones is refused as well.
    const botId = /^BOT_ID=(.*)$/m.exec(example)![1]!;
    const one = runPackage(ENV.replace(/^BOT_ID=.*$/m, `BOT_ID=${botId}`));
    assert.equal(one.status, 1);
    assert.match(one.stderr, /example placeholder: BOT_ID\b/);
  });

  it('refuses a manifest that the schema rejects', () => {
    const r = runPackage(ENV.replace(/^TEAMS_APP_ID=.*$/m, 'TEAMS_APP_ID=not-a-guid'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /schema/);
  });

  // The schema of v1.23 checks neither: validDomains items are any string, and its httpsUrl pattern
  // is ^[Hh][Tt][Tt][Pp][Ss]?:// (http passes). Microsoft's manifest reference asks for domains
  // ("contoso.com", "*.example.com"; the bot's sign-in pages load from the one listed) and for "the
  // https:// URL" of each developer link:
  // https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema#validdomains
  // https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema#developer
  for (const botDomain of [
    'https://governance-bot.contoso.example',
    'governance-bot.contoso.example/',
    'governance-bot.contoso.example/api/messages',
  ]) {
    it(`refuses BOT_DOMAIN=${botDomain}: validDomains takes a host name`, () => {
      const r = runPackage(ENV.replace(/^BOT_DOMAIN=.*$/m, `BOT_DOMAIN=${botDomain}`));
      assert.equal(r.status, 1, 'no package');
      assert.match(r.stderr, /BOT_DOMAIN/);
      assert.equal(fs.existsSync(r.zipPath), false, 'no package written');
    });
  }

  it('refuses a developer link that is not https, naming it', () => {
    const r = runPackage(ENV.replace(/^PRIVACY_URL=.*$/m, 'PRIVACY_URL=http://www.fabrikam.example/privacy'));
    assert.equal(r.status, 1, 'no package');
    assert.match(r.stderr, /PRIVACY_URL/);
    assert.match(r.stderr, /https/);
    assert.equal(fs.existsSync(r.zipPath), false, 'no package written');
  });

  it('env/.env.dev.example names every variable the manifest uses', () => {
    const example = fs.readFileSync(path.join(root, 'env', '.env.dev.example'), 'utf8');
    const manifest = fs.readFileSync(path.join(root, 'manifest', 'manifest.json'), 'utf8');
    for (const [, name] of manifest.matchAll(/\$\{\{\s*(\w+)\s*\}\}/g)) {
      assert.match(example, new RegExp(`^${name}=`, 'm'), `env/.env.dev.example lacks ${name}`);
    }
  });
});
