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

/**
 * Records whose writes to the keys `hit` picks fail while `failing`, after the earlier writes of
 * the same call went through: with `landed`, the write is stored and then reported failed (an
 * answer lost on its way back, as a timed-out request to Azure Storage may be).
 */
export function failingOn(
  records: Records,
  hit: (key: string) => boolean,
  landed = false,
): Records & { failing: boolean } {
  const down = () => Promise.reject(new StateUnavailableError('state store: write failed (SQLITE_BUSY)'));
  const fail = <R>(key: string, write: () => Promise<R>): Promise<R> => {
    if (!r.failing || !hit(key)) return write();
    return landed ? write().then(down) : down();
  };
  const r: Records & { failing: boolean } = {
    failing: false,
    get: (key) => records.get(key),
    create: (key, value, expiry) => fail(key, () => records.create(key, value, expiry)),
    replace: (key, value, version, expiry) => fail(key, () => records.replace(key, value, version, expiry)),
    put: (key, value, expiry) => fail(key, () => records.put(key, value, expiry)),
    delete: (key, version) => fail(key, () => records.delete(key, version)),
  };
  return r;
}
