// A problem names a record by its key cut to 80 characters (the log stays short), but two records
// whose keys share those 80 characters are two problems: each is counted by /readyz and told to the
// operator's log, whether it was set aside or could not be yet. Keys that long are ordinary: a list
// card's key holds a whole Teams conversation id, which for a personal chat is longer than 80.

import Database from 'better-sqlite3';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreProblem } from '../../src/state/problems';
import { SqliteState } from '../../src/state/sqlite';

const CONVERSATION = `a:1${'x'.repeat(120)}`;
const KEYS = [`list:${CONVERSATION}:1700000000001`, `list:${CONVERSATION}:1700000000002`];

describe('state store problems: records whose keys share their first 80 characters', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-problem-keys-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function twoUnreadable(refuseQuarantine: boolean): Promise<{ state: SqliteState; told: StoreProblem[] }> {
    const file = path.join(dir, 'state.db');
    const state = new SqliteState(file);
    const told: StoreProblem[] = [];
    state.watchProblems((p) => told.push(p));
    for (const key of KEYS) await state.records.put(key, { ok: true }, 'none');
    const raw = new Database(file);
    raw.prepare("UPDATE records SET value = 'garbage {'").run();
    if (refuseQuarantine) {
      raw.exec("CREATE TRIGGER refuse BEFORE INSERT ON quarantine BEGIN SELECT RAISE(ABORT, 'refused'); END");
    }
    raw.close();
    for (const key of KEYS) assert.equal(await state.records.get(key), null);
    return { state, told };
  }

  it('counts and tells both when both are set aside', async () => {
    assert.equal(KEYS[0]!.slice(0, 80), KEYS[1]!.slice(0, 80));
    const { state, told } = await twoUnreadable(false);
    assert.equal(state.problemCount(), 2, '/readyz counts two records');
    assert.equal(told.length, 2, 'the log hears of both');
    assert.ok(
      told.every((p) => (p.where ?? '').length <= 80),
      'a key is still cut to 80 characters',
    );
    assert.ok(
      told.every((p) => !('key' in p)),
      'the whole key is only remembered, never told',
    );
    await state.close();
  });

  it('counts and tells both when neither can be set aside yet, and each once', async () => {
    const { state, told } = await twoUnreadable(true);
    for (const key of KEYS) assert.equal(await state.records.get(key), null, 'read again');
    assert.equal(state.problemCount(), 2, '/readyz counts two records');
    assert.equal(told.length, 2, 'the log hears of both, once each');
    await state.close();
  });
});
