// A team's list of its channels under forgets and captures from several instances, on SQLite (two
// connections to one file are two instances): the scenarios are component/teamListContract.ts.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteState } from '../../src/state/sqlite';
import { teamListContract } from '../component/teamListContract';

describe("conversation references: a team's list of its channels on SQLite", () => {
  teamListContract(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-teamlist-'));
    const opened: SqliteState[] = [];
    return {
      records: () => {
        const state = new SqliteState(path.join(dir, 'state.db'));
        opened.push(state);
        return state.records;
      },
      close: async () => {
        for (const s of opened.splice(0)) await s.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });
});
