// What the SQLite state store tells its watchers (the operator's log): each problem once, as it
// is met, whether at opening or by a read long after it, with what was set aside, where and why,
// and never a path.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreProblem } from '../../src/state/problems';
import { SqliteState } from '../../src/state/sqlite';
import { damageHeader } from '../fixtures/damagedSqlite';
import { problemTexts } from '../fixtures/problemTexts';

describe('SQLite state store: problems told as they are met', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sqlite-problems-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fields = (p: StoreProblem) => ({ subject: p.subject, where: p.where, reason: p.reason, keptAs: p.keptAs });

  it('a row found unreadable by a read after start is told once, naming its key, the reason and where it is kept', async () => {
    const file = path.join(dir, 'state.db');
    const state = new SqliteState(file);
    const told: StoreProblem[] = [];
    state.watchProblems((p) => told.push(p));
    await state.records.put('event:e1', { ok: true }, 'none');
    await state.outbox.enqueue('e2', { eventId: 'e2' });
    assert.equal(told.length, 0, 'nothing met yet');
    const raw = new Database(file);
    raw.prepare("UPDATE records SET value = 'garbage {' WHERE key = 'event:e1'").run();
    raw.prepare("UPDATE queue SET payload = 'garbage' WHERE id = 'e2'").run();
    raw.close();
    assert.equal(await state.records.get('event:e1'), null);
    assert.equal(await state.records.get('event:e1'), null, 'set aside: absent now, and not told again');
    assert.equal(await state.outbox.lease(60_000), null);
    assert.deepEqual(told.map(fields), [
      { subject: 'record', where: 'event:e1', reason: 'its value is not JSON', keptAs: 'the quarantine table' },
      { subject: 'outbox item', where: 'e2', reason: 'its payload is not JSON', keptAs: 'the quarantine table' },
    ]);
    assert.deepEqual(
      told.map((p) => p.text),
      problemTexts(state),
      'what /readyz counts is what was told',
    );
    await state.close();
  });

  it('a row that cannot be set aside is told once, however often it is read, and again when it is set aside', async () => {
    const file = path.join(dir, 'state.db');
    const state = new SqliteState(file);
    const told: StoreProblem[] = [];
    state.watchProblems((p) => told.push(p));
    await state.records.put('event:e3', { ok: true }, 'none');
    const raw = new Database(file);
    raw.prepare("UPDATE records SET value = 'garbage {' WHERE key = 'event:e3'").run();
    // The quarantine table refuses rows (as a full disk would).
    raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'refused'); END");
    for (let i = 0; i < 3; i++) assert.equal(await state.records.get('event:e3'), null);
    assert.deepEqual(told.map(fields), [
      { subject: 'record', where: 'event:e3', reason: 'its value is not JSON', keptAs: undefined },
    ]);
    assert.match(told[0]!.text, /could not be set aside yet/);
    raw.exec('DROP TRIGGER refuse');
    raw.close();
    assert.equal(await state.records.get('event:e3'), null);
    assert.equal(told.length, 2);
    assert.equal(told[1]!.keptAs, 'the quarantine table');
    assert.equal(problemTexts(state).length, 2);
    await state.close();
  });

  it('a watcher that comes later is told of what was met on opening, once', async () => {
    const file = path.join(dir, 'state.db');
    fs.writeFileSync(file, Buffer.from('not a database '.repeat(300)));
    const state = new SqliteState(file);
    const told: StoreProblem[] = [];
    state.watchProblems((p) => told.push(p));
    await state.records.put('k', 1, 'none');
    assert.equal(told.length, 1);
    assert.equal(told[0]!.subject, 'database');
    assert.match(told[0]!.keptAs ?? '', /^state\.db\.corrupt-\d+$/);
    assert.ok(!JSON.stringify(told).includes(dir), 'no path');
    await state.close();
  });

  it('a database set aside on a later open, after start, is told when it is set aside', async () => {
    const file = path.join(dir, 'state.db');
    const a = new SqliteState(file);
    await a.records.put('x', 1, 'none');
    damageHeader(file);
    const b = new SqliteState(file);
    const told: StoreProblem[] = [];
    b.watchProblems((p) => told.push(p));
    await assert.rejects(b.outbox.size());
    assert.equal(told.length, 0, 'not set aside while A has it open');
    await assert.rejects(a.outbox.enqueue('ev1', { eventId: 'ev1' }));
    assert.equal(await b.outbox.size(), 0);
    assert.equal(told.length, 1, JSON.stringify(told));
    assert.equal(told[0]!.subject, 'database');
    assert.match(told[0]!.keptAs ?? '', /^state\.db\.corrupt-\d+$/);
    assert.ok(!JSON.stringify(told).includes(dir), 'no path');
    await a.close();
    await b.close();
  });
});
