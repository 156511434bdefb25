// What a stop that was not clean names as cut short (src/shutdown.ts): each kind of work still
// under way at the drain's deadline by its own name. A conversation reference write still running
// is not a command left unanswered, and the operator reading bot.stop.failed must not look for one.

import { strict as assert } from 'node:assert';
import {
  CLOSE_STORE_MS,
  FLUSH_REFERENCES_MS,
  SHUTDOWN_MS,
  STOP_INSTANCE_MS,
  ShutdownSteps,
  shutDown,
} from '../../src/shutdown';
import { ManualClock } from '../fixtures/manualClock';

const never = () => new Promise<void>(() => undefined);
const done = async (): Promise<void> => undefined;

function steps(turnsIdle: ShutdownSteps['turnsIdle']): ShutdownSteps {
  return {
    stopPacing: () => undefined,
    stopDelivery: done,
    closeServer: done,
    dropConnections: () => undefined,
    turnsIdle,
    drainCounts: () => undefined,
    hooksIdle: done,
    flushReferences: done,
    stopInstance: done,
    closeStore: done,
  };
}

async function failureOf(turnsIdle: ShutdownSteps['turnsIdle']): Promise<string> {
  const clock = new ManualClock();
  let failure: unknown = 'resolved';
  await clock.runUntil(shutDown(steps(turnsIdle), SHUTDOWN_MS, clock).catch((e: unknown) => (failure = e)));
  return String(failure);
}

describe('shutdown: work cut short is named by its kind', () => {
  it('a reference write still running at the deadline is named as such, not as a turn', async () => {
    const failure = await failureOf([
      { what: 'the turns under way', idle: done },
      { what: 'the conversation reference writes under way', idle: never },
    ]);
    assert.match(failure, /the conversation reference writes under way did not finish in time/);
    assert.doesNotMatch(failure, /turns/, 'every turn had finished');
  });

  it('names every kind that was late, and only those', async () => {
    const failure = await failureOf([
      { what: 'the turns under way', idle: never },
      { what: "the card presses' writes under way", idle: done },
      { what: "the edits of cards' copies under way", idle: never },
    ]);
    assert.match(failure, /the turns under way did not finish in time/);
    assert.match(failure, /the edits of cards' copies under way did not finish in time/);
    assert.doesNotMatch(failure, /card presses/);
  });

  it('the turns still under way at the drain deadline are given up before the store closes', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const started = clock.now();
    const all: ShutdownSteps = {
      ...steps([{ what: 'the turns under way', idle: never }]),
      giveUpTurns: async () => void log.push(`turns given up after ${clock.now() - started} ms`),
      flushReferences: async () => void log.push('references flushed'),
      closeStore: async () => void log.push('store closed'),
    };
    await clock.runUntil(shutDown(all, SHUTDOWN_MS, clock).catch(() => undefined));
    const drainEnds = SHUTDOWN_MS - CLOSE_STORE_MS - STOP_INSTANCE_MS - FLUSH_REFERENCES_MS;
    assert.deepEqual(log, [`turns given up after ${drainEnds} ms`, 'references flushed', 'store closed']);
  });

  // A connection cut with its request unanswered is, for Teams, a turn that failed, which it may
  // deliver again at once (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics):
  // reaching another instance while the cut turn still held its duplicate mark, it would be dropped
  // there as a duplicate and the message lost. The marks go back first, then the connections.
  it('a request still unanswered at the drain deadline: the turn’s mark is given back before its connection is cut', async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    let giving!: () => void;
    let reached!: () => void;
    const givingBack = new Promise<void>((r) => (reached = r));
    const all: ShutdownSteps = {
      ...steps([{ what: 'the turns under way', idle: never }]),
      closeServer: never,
      dropConnections: () => void log.push('connections dropped'),
      giveUpTurns: async () => {
        log.push('giving back the marks');
        reached();
        // The store answers the deletes a moment later.
        await new Promise<void>((r) => (giving = r));
        log.push('marks given back');
      },
    };
    const stopped = shutDown(all, SHUTDOWN_MS, clock).catch(() => undefined);
    await clock.runUntil(givingBack);
    assert.deepEqual(log, ['giving back the marks'], 'no connection cut while the marks are held');
    giving();
    await clock.runUntil(stopped);
    assert.deepEqual(log, ['giving back the marks', 'marks given back', 'connections dropped']);
  });
});
