// An announced item's title (at most 200 characters, counted as code points: README "Notification
// intake") is remembered whole for the action alerts that later name the item.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ItemTitles } from '../../src/alerts/actionAlerts';
import { SqliteState } from '../../src/state/sqlite';

describe('remembered item titles', () => {
  let dir: string;
  let state: SqliteState;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-titles-'));
    state = new SqliteState(path.join(dir, 'state.db'));
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a 200-character title outside the Basic Multilingual Plane whole', async () => {
    const titles = new ItemTitles(state.records);
    const title = '𠀀'.repeat(200);
    await titles.remember('cancelRoleRequest', { requestId: 'r1' }, title);
    assert.equal(await titles.title('cancelRoleRequest', { requestId: 'r1' }), title);
  });

  it('keeps the first 200 characters of a longer one, never half a character', async () => {
    const titles = new ItemTitles(state.records);
    await titles.remember('cancelRoleRequest', { requestId: 'r2' }, 'a' + '😀'.repeat(250));
    assert.equal(await titles.title('cancelRoleRequest', { requestId: 'r2' }), 'a' + '😀'.repeat(199));
  });
});
