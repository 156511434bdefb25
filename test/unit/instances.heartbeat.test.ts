// A process's heartbeat ends with the process. stop() deleted the heartbeat record while a beat
// the timer had started could still be under way (a store taking its time, up to its deadline):
// that beat then landed after the delete, and the stopped process looked alive for a whole ttl to
// every instance on another machine, whose clicks then waited out its claims' leases instead of
// taking them over. stop() now waits for the beat under way before it deletes.

import { strict as assert } from 'node:assert';
import { Instances } from '../../src/state/instances';
import { Entry, Records } from '../../src/state/port';

/** Records whose puts wait until the test lets them land; each put is announced as it starts. */
class GatedRecords {
  readonly stored = new Map<string, unknown>();
  private readonly gates: Array<() => void> = [];
  private started: (() => void) | null = null;

  /** Resolves when the next put has started. */
  nextPut(): Promise<void> {
    return new Promise((r) => (this.started = r));
  }

  /** Lets every put under way land. */
  open(): void {
    for (const g of this.gates.splice(0)) g();
  }

  get<T>(key: string): Promise<Entry<T> | null> {
    const value = this.stored.get(key) as T | undefined;
    return Promise.resolve(value === undefined ? null : { value, version: '1' });
  }

  put<T>(key: string, value: T): Promise<string> {
    this.started?.();
    this.started = null;
    return new Promise((resolve) =>
      this.gates.push(() => {
        this.stored.set(key, value);
        resolve('1');
      }),
    );
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.stored.delete(key));
  }
}

describe('instance heartbeat at stop', () => {
  it('a beat under way when the process stops never lands after the heartbeat is deleted', async () => {
    const records = new GatedRecords();
    const instances = new Instances(records as unknown as Records, { ttlMs: 30, bootId: 'boot-1', pidNamespace: null });
    const first = records.nextPut();
    const starting = instances.start();
    await first;
    const timerBeat = records.nextPut();
    records.open();
    await starting;
    // The timer's beat has started and waits on the store.
    await timerBeat;
    const stopping = instances.stop();
    records.open();
    await stopping;
    assert.equal(records.stored.has('instance:boot-1'), false, 'no heartbeat after stop');
  });

  it('deletes the heartbeat at once, without waiting for a beat still under way, and again once it lands', async () => {
    // The shutdown gives ending the liveness half a second (src/shutdown.ts STOP_INSTANCE_MS), an
    // Azure put may take up to its 10 s deadline: a stop that deleted only after the beat landed
    // sent no delete at all in that time, and the stopped process stayed alive for a ttl.
    const records = new GatedRecords();
    const instances = new Instances(records as unknown as Records, { ttlMs: 30, bootId: 'boot-1', pidNamespace: null });
    const first = records.nextPut();
    const starting = instances.start();
    await first;
    const timerBeat = records.nextPut();
    records.open();
    await starting;
    await timerBeat;
    const stopping = instances.stop();
    // One turn of the event loop: the store answers deletes at once, the beat still waits.
    await new Promise((r) => setImmediate(r));
    assert.equal(records.stored.has('instance:boot-1'), false, 'deleted while the beat is under way');
    records.open();
    await stopping;
    assert.equal(records.stored.has('instance:boot-1'), false, 'the late beat deleted too');
  });

  it('arms no timer and leaves no heartbeat when stopped while its first beat is under way', async () => {
    const records = new GatedRecords();
    const instances = new Instances(records as unknown as Records, { ttlMs: 30, bootId: 'boot-1', pidNamespace: null });
    const first = records.nextPut();
    // The timers start() arms, counted rather than waited for.
    const armed: unknown[] = [];
    const realSetInterval = global.setInterval;
    global.setInterval = ((...args: Parameters<typeof setInterval>) => {
      const timer = realSetInterval(...args);
      armed.push(timer);
      return timer;
    }) as typeof setInterval;
    try {
      const starting = instances.start();
      await first;
      const stopping = instances.stop();
      // One turn of the event loop: the store answers deletes at once, the first beat still waits.
      await new Promise((r) => setImmediate(r));
      records.open();
      await Promise.all([starting, stopping]);
    } finally {
      global.setInterval = realSetInterval;
      for (const t of armed) clearInterval(t as NodeJS.Timeout);
    }
    assert.equal(records.stored.has('instance:boot-1'), false, 'no heartbeat after stop');
    assert.equal(armed.length, 0, 'no beats scheduled after stop');
  });
});
