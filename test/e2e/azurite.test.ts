// Azure Blob Storage for several instances, against Azurite on loopback: BlobsStorage eTags, and
// exactly-once claims within one process and across two processes sharing a container.

import { strict as assert } from 'node:assert';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';
import { AzureBlobStorage } from '../../src/storage/blobStorage';
import { ClaimStore } from '../../src/storage/claims';
import { raceTwoProcesses } from '../fixtures/race';
import { freePort } from './harness';

// Azurite's well-known development account key (public; it works only against the emulator).
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

describe('Azure Blob Storage on Azurite', function () {
  this.timeout(60_000);
  let azurite: ChildProcess;
  let dir: string;
  let connection: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-azurite-'));
    const port = await freePort();
    const bin = path.join(projectRoot(), 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
    azurite = spawn(process.execPath, [bin, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', dir, '--silent', '--skipApiVersionCheck'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    connection = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/devstoreaccount1?comp=list`);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error('Azurite did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  after(async () => {
    if (azurite && azurite.exitCode === null) {
      const exited = new Promise((r) => azurite.once('exit', r));
      azurite.kill('SIGTERM');
      const force = setTimeout(() => azurite.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('honours eTags through BlobsStorage and creates only when absent', async () => {
    const s = new AzureBlobStorage(connection, 'state-etags');
    assert.equal(await s.create('conversation:1', { ref: 'x' }), true);
    assert.equal(await s.create('conversation:1', { ref: 'y' }), false);
    const item = (await s.read(['conversation:1']))['conversation:1'] as { ref: string; eTag: string };
    assert.equal(item.ref, 'x');
    await s.write({ 'conversation:1': { ref: 'z', eTag: item.eTag } });
    await assert.rejects(s.write({ 'conversation:1': { ref: 'w', eTag: item.eTag } }), /eTag conflict/);
  });

  it('gives exactly one winner among 50 concurrent claims in one process', async () => {
    const claims = new ClaimStore(new AzureBlobStorage(connection, 'claims-one'));
    for (let k = 0; k < 10; k++) {
      const key = ClaimStore.keyOf('cancelGroupRequest', `k-${k}`);
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => claims.claim(key, { userId: `u${i}` })));
      assert.equal(results.filter((r) => r.won).length, 1);
    }
  });

  it('two processes sharing the container: every key has exactly one winner', async () => {
    const [a, b] = await raceTwoProcesses(['blob', connection, 'claims-two'], 200);
    const all = [...a!.won, ...b!.won];
    assert.equal(all.length, 200, `A won ${a!.won.length}, B won ${b!.won.length}`);
    assert.equal(new Set(all).size, 200);
    assert.ok(a!.won.length > 0 && b!.won.length > 0, 'both processes really raced');
  });
});
