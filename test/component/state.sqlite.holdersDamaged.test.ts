// The lock file beside the state database (state.db-holders, itself an SQLite database: see
// src/state/sqliteHolders.ts) found damaged. The bot cannot replace it safely (a process still
// holding the old one would lose its place among the holders), so the store stays unavailable
// until the operator deletes it; what matters is that it says so: which file (by its own name, no
// directory), that it is not the database, and what to do. It used to say only
// "state store: open failed (SQLITE_NOTADB)", which reads as damage to state.db, the file the
// store sets aside by itself.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StateUnavailableError } from '../../src/state/port';
import { StoreProblem } from '../../src/state/problems';
import { SqliteState } from '../../src/state/sqlite';

describe('SQLite state store: a damaged lock file (state.db-holders)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-holders-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('names the file and what to do, is told once, and the store comes back once it is deleted', async () => {
    const file = path.join(dir, 'state.db');
    const before = new SqliteState(file);
    await before.records.put('k', 1, 'none');
    await before.close();
    fs.writeFileSync(`${file}-holders`, Buffer.alloc(4096, 0x41));

    const state = new SqliteState(file);
    const told: StoreProblem[] = [];
    state.watchProblems((p) => told.push(p));
    const refusals: StateUnavailableError[] = [];
    for (const call of [() => state.check(), () => state.records.get('k'), () => state.outbox.size()]) {
      const refused = await call().then(
        () => assert.fail('the store answered over a damaged lock file'),
        (e: unknown) => e,
      );
      assert.ok(refused instanceof StateUnavailableError, String(refused));
      refusals.push(refused);
    }
    const message = refusals[0]!.message;
    assert.match(message, /state\.db-holders, the lock file beside the state database, is damaged/);
    assert.match(
      message,
      /stop every Governance Bot process using this state directory, delete state\.db-holders, then start them again/,
    );
    assert.ok(!message.includes(dir), 'no directory in the message');
    assert.deepEqual(
      told.map((p) => [p.subject, p.text]),
      [['lock file', message]],
      'told once, however many operations meet it',
    );
    assert.equal(state.problemCount(), 1);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.includes('corrupt')),
      [],
      'the database, which is sound, is not set aside',
    );

    // What the message says to do: the next operation opens the store again, with its data.
    fs.rmSync(`${file}-holders`);
    assert.deepEqual(await state.records.get('k').then((e) => e?.value), 1);
    await state.close();
  });
});
