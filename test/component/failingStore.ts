// A state store that stops answering (SQLite busy or unwritable, Azure Storage down) under the
// records of one of the bot's stores, switched on by the test.

import { Records, StateUnavailableError } from '../../src/state/port';

/** Records whose writes (or, with `reads`, reads too) fail as an unreachable store does while `failing`. */
export function failing(records: Records, reads = false): Records & { failing: boolean } {
  const down = () => Promise.reject(new StateUnavailableError('state store: write failed (SQLITE_BUSY)'));
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) => (r.failing && reads ? down() : records.get(key)),
    create: (key, value, expiry) => (r.failing ? down() : records.create(key, value, expiry)),
    replace: (key, value, version, expiry) => (r.failing ? down() : records.replace(key, value, version, expiry)),
    put: (key, value, expiry) => (r.failing ? down() : records.put(key, value, expiry)),
    delete: (key, version) => (r.failing ? down() : records.delete(key, version)),
  };
  return r;
}
