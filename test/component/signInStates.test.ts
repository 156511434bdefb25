// One-time sign-in states on the state port (src/state/signInStates.ts): expiry by the injected
// clock, and single use across instances sharing one store (one consumer wins).
// The verify state is what the end page hands Teams through authentication.notifySuccess and
// what comes back in signin/verifyState:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Records } from '../../src/state/port';
import { SignInStates, TooManyStartsError } from '../../src/state/signInStates';
import { SqliteState } from '../../src/state/sqlite';

const MEGAN = '8f1c2d3e-0000-4000-8000-00000000a001';

describe('one-time sign-in states across instances', () => {
  it('reports a verify state used after its lifetime as expired, even where the store still holds it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-ttl-'));
    const state = new SqliteState(path.join(dir, 'state.db'));
    try {
      let now = Date.now();
      const states = new SignInStates(state.records, { now: () => now, verifyTtlMs: 5 * 60_000 });
      const fresh = await states.issueVerify('p-fresh', MEGAN);
      const old = await states.issueVerify('p-old', MEGAN);
      now += 5 * 60_000 - 1;
      assert.deepEqual(await states.verify(fresh, MEGAN), { pendingId: 'p-fresh' });
      now += 2;
      assert.deepEqual(await states.verify(old, MEGAN), { problem: 'expired' });
      assert.deepEqual(await states.verify(old, MEGAN), { problem: 'unknown' }, 'and it is gone');
    } finally {
      await state.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets exactly one of two instances consume a verify state', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-race-'));
    const a = new SqliteState(path.join(dir, 'state.db'));
    const b = new SqliteState(path.join(dir, 'state.db'));
    try {
      const issuer = new SignInStates(a.records);
      for (let i = 0; i < 20; i++) {
        const state = await issuer.issueVerify(`p-${i}`, MEGAN);
        const results = await Promise.all([
          new SignInStates(a.records).verify(state, MEGAN),
          new SignInStates(b.records).verify(state, MEGAN),
        ]);
        assert.equal(results.filter((r) => 'pendingId' in r).length, 1, JSON.stringify(results));
      }
      const binding = { pendingId: 'p', aadObjectId: MEGAN, codeVerifier: 'v'.repeat(43) };
      const authorizeState = await issuer.beginAuthorize(binding);
      const taken = await Promise.all([
        new SignInStates(a.records).takeAuthorize(authorizeState),
        new SignInStates(b.records).takeAuthorize(authorizeState),
      ]);
      assert.equal(taken.filter((t) => t !== null).length, 1);
    } finally {
      await a.close();
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('keeps the start page’s sign-out mark with the authorize binding, for the end page on any instance', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-mark-'));
    const a = new SqliteState(path.join(dir, 'state.db'));
    const b = new SqliteState(path.join(dir, 'state.db'));
    try {
      const base = { pendingId: 'p', aadObjectId: MEGAN, codeVerifier: 'v'.repeat(43) };
      for (const signOutMark of [null, 'mark-1']) {
        const authorizeState = await new SignInStates(a.records).beginAuthorize({ ...base, signOutMark });
        const taken = await new SignInStates(b.records).takeAuthorize(authorizeState);
        // null (never signed out) is a mark the end page compares, not a missing one.
        assert.deepEqual(taken, { ...base, signOutMark });
      }
      const unknown = await new SignInStates(b.records).takeAuthorize(
        await new SignInStates(a.records).beginAuthorize(base),
      );
      assert.ok(unknown && !('signOutMark' in unknown), 'no mark recorded: none invented');
    } finally {
      await a.close();
      await b.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('caps the authorize states one pending sign-in makes: a flood of starts writes a bounded number of records', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-flood-'));
    const store = new SqliteState(path.join(dir, 'state.db'));
    try {
      const writes: string[] = [];
      const counted: Records = {
        get: (k) => store.records.get(k),
        create: async (k, v, o) => {
          writes.push(k);
          return store.records.create(k, v, o);
        },
        replace: async (k, v, ver, o) => {
          writes.push(k);
          return store.records.replace(k, v, ver, o);
        },
        put: async (k, v, o) => {
          writes.push(k);
          return store.records.put(k, v, o);
        },
        delete: async (k, ver) => {
          writes.push(k);
          return store.records.delete(k, ver);
        },
      };
      const states = new SignInStates(counted, { maxStartsPerSignIn: 10 });
      const binding = { pendingId: 'p-flood', aadObjectId: MEGAN, codeVerifier: 'v'.repeat(43) };
      // The person's own start comes first; then anyone holding the link starts it 100 times.
      const own = await states.beginAuthorize(binding);
      const issued: string[] = [];
      let refused = 0;
      for (let i = 0; i < 100; i++) {
        try {
          issued.push(await states.beginAuthorize(binding));
        } catch (e) {
          assert.ok(e instanceof TooManyStartsError, String(e));
          refused++;
        }
      }
      assert.equal(issued.length, 9, 'ten states in all for one pending sign-in');
      assert.equal(refused, 91);
      // One write for the count and one for the state, per state made; none for a refused start.
      assert.ok(writes.length <= 20, `${writes.length} writes`);
      assert.ok(new Set(writes).size <= 11, `${new Set(writes).size} records`);
      // The states made before the flood still work, once.
      assert.equal((await states.takeAuthorize(own))?.pendingId, 'p-flood');
      assert.equal((await states.takeAuthorize(issued[8] ?? ''))?.pendingId, 'p-flood');
      // Another pending sign-in (the command sent again) has its own count.
      assert.ok(await states.beginAuthorize({ ...binding, pendingId: 'p-again' }));
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts starts again once the window of the first one has passed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-signin-window-'));
    let now = Date.now();
    const store = new SqliteState(path.join(dir, 'state.db'), { now: () => now });
    try {
      const states = new SignInStates(store.records, { now: () => now, maxStartsPerSignIn: 2, startsWindowMs: 60_000 });
      const binding = { pendingId: 'p', aadObjectId: MEGAN, codeVerifier: 'v'.repeat(43) };
      await states.beginAuthorize(binding);
      now += 30_000;
      await states.beginAuthorize(binding);
      await assert.rejects(states.beginAuthorize(binding), TooManyStartsError);
      now += 30_000;
      assert.ok(await states.beginAuthorize(binding), 'a minute after the first start');
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
