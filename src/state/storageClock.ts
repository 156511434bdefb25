// The clock every instance sharing Azure Storage agrees on: the storage's own. A record's expiry
// (and a lease time kept inside a value) is written by one machine and judged by another; judged
// by each machine's own clock, a skew of ten seconds makes a live instance's 15 s heartbeat look
// expired (its claims are taken over: a card action or a delivery runs twice), or a dead one look
// alive for longer. So times that go into the store are read from this clock: the local clock
// plus its offset from the storage's, learnt from the `Date` header every answer of the service
// carries (RFC 1123, whole seconds:
// https://learn.microsoft.com/rest/api/storageservices/representation-of-date-time-values-in-headers
// and https://learn.microsoft.com/rest/api/storageservices/common-rest-api-response-headers).
// No call is made for it: the adapter's own answers are observed (see azureClients.ts).
//
// What one answer tells: the service stamped it at some moment between the request leaving and
// the answer arriving (local times `sentAt`, `receivedAt`), and the stamp is that moment cut to
// the second, so the storage's time then was in [D, D + 1 s). The offset is therefore within
// [D - receivedAt, D + 1 s - sentAt]: one answer bounds it to half a second plus half the round
// trip either way. Every answer bounds it again, at another phase of the second, so the
// intersection of the recent answers' intervals narrows to about the round trip (milliseconds in
// one Azure region); the estimate is the middle of that intersection. Two instances thus disagree
// by at most about a second plus a round trip at start, and by a few tens of milliseconds once
// each has seen a few dozen answers: small against the shortest time judged across instances
// (a heartbeat lives 15 s and is renewed every 5 s; claims hold 30 s; sign-in states and turns
// live for minutes).
//
// Answers are kept for a short window only, so the estimate follows a local clock that drifts or
// is stepped: an answer whose interval does not meet the newer ones (the local clock jumped)
// drops it and everything older. An answer without a readable `Date` changes nothing: the last
// good offset stays (zero before the first one). Nothing here throws.

import { parseHttpDate } from '../domain/httpDate';

/** How long an answer's bounds count. Long enough for dozens of answers (a heartbeat alone makes
 * one every 5 s), short enough that local drift within it (tens of ppm: a few ms) is negligible. */
const WINDOW_MS = 120_000;
/** At most this many answers are kept (the busiest instance still costs a few kB). */
const MAX_SAMPLES = 64;

/** What one answer says about the offset (storage time minus local time), and when it came. */
interface Sample {
  readonly lo: number;
  readonly hi: number;
  readonly receivedAt: number;
}

/** The current estimate: storage time = local time + `offsetMs`, within `withinMs` either way. */
export interface OffsetEstimate {
  readonly offsetMs: number;
  readonly withinMs: number;
}

export class StorageClock {
  private samples: Sample[] = [];
  private estimate: OffsetEstimate | null = null;

  /** `local` is this machine's clock (tests skew it to stand in for another machine). */
  constructor(private readonly local: () => number = Date.now) {}

  /** The storage's time now, as well as this instance can tell (the local time until an answer
   * has been seen). */
  readonly now = (): number => this.local() + (this.estimate?.offsetMs ?? 0);

  /** The local clock, to time a request with (`sentAt`, `receivedAt`). */
  localNow(): number {
    return this.local();
  }

  /** The estimate so far; null before the first readable answer. */
  offset(): OffsetEstimate | null {
    return this.estimate;
  }

  /** Learns from one answer: its `Date` header (anything else is ignored) and the local times
   * its request left and it came back. */
  observe(date: unknown, sentAt: number, receivedAt: number): void {
    const stamped = parseHttpDate(date);
    if (stamped === null || !Number.isFinite(sentAt) || !Number.isFinite(receivedAt)) return;
    // The local clock went back during the call: the two times do not bound anything.
    if (receivedAt < sentAt) return;
    const sample: Sample = { lo: stamped - receivedAt, hi: stamped + 1000 - sentAt, receivedAt };
    const recent = this.samples.filter((s) => receivedAt - s.receivedAt <= WINDOW_MS && s.receivedAt <= receivedAt);
    recent.push(sample);
    this.samples = recent.slice(-MAX_SAMPLES);
    this.estimate = this.intersect();
  }

  /** The intersection of the newest answer with the older ones that agree with it; an older one
   * that does not (the local clock was stepped since) is dropped with everything before it. */
  private intersect(): OffsetEstimate {
    const newest = this.samples[this.samples.length - 1]!;
    let lo = newest.lo;
    let hi = newest.hi;
    for (let i = this.samples.length - 2; i >= 0; i--) {
      const s = this.samples[i]!;
      const nextLo = Math.max(lo, s.lo);
      const nextHi = Math.min(hi, s.hi);
      if (nextLo > nextHi) {
        this.samples = this.samples.slice(i + 1);
        break;
      }
      lo = nextLo;
      hi = nextHi;
    }
    return { offsetMs: Math.round((lo + hi) / 2), withinMs: Math.ceil((hi - lo) / 2) };
  }
}
