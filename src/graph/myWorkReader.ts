// The Graph reads behind "my approvals" and "my requests" (graph-reference §7; which reads:
// myWorkSources.ts), as the signed-in user: every source's first page in one JSON batch, and on
// "more" every source's @odata.nextLink in one JSON batch too (rows: myWorkRows.ts).
//
// A list is read within one deadline (LIST_BUDGET_MS, the budget a command's Graph call has): the
// batch items Graph answered 429/503/504 are read again side by side (at most READ_AGAIN_AT_ONCE at
// a time), each call given only the time the list has left, and a source not read by then is shown
// as a part that could not be listed ("try again"), never waited for past it and never left out
// without a word.
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { DomainError, ThrottledError, UpstreamError, isDomainError } from '../domain/errors';
import { AccessTokenSource } from '../domain/governance';
import {
  Continuations,
  LIST_BUDGET_MS,
  ListName,
  MyWorkPort,
  ROW_OPERATION,
  WORK_KINDS,
  WorkFetch,
  WorkItem,
  WorkKind,
} from '../domain/myWork';
import type { GraphGateway } from './graphGateway';
import type { BatchAnswer } from './graphReads';
import { mapGraphError, readRefusal } from './graphErrors';
import { scopesOf } from './graphCaller';
import { kindOf, sourcesFor } from './myWorkSources';
import { obj, rowOf } from './myWorkRows';
import { parseRetryAfter } from '../domain/retryAfter';
import { Attempts } from '../domain/attempts';

/** The "try again in" a part gives when Graph named no wait (a read cut at the deadline). */
const LATE_RETRY_MS = 10_000;

/** Requests one JSON batch may hold (https://learn.microsoft.com/graph/json-batching). */
const BATCH_MAX = 20;
/** The statuses of a batch item read again alone after a wait: throttled, or the service busy. */
const READ_AGAIN: ReadonlySet<number> = new Set([429, 503, 504]);

export { LIST_BUDGET_MS };
/** Reads sent at once when batch items are read again alone. */
export const READ_AGAIN_AT_ONCE = 4;
/** Less time than this left: a read is not started (it could not be answered in time). */
const LEAST_READ_MS = 1_000;

/** PIM's approver filter answers at most 50 requests and no nextLink (anchors-and-user-needs §2.2). */
export const APPROVER_FILTER_CAP = 50;
type Obj = Record<string, unknown>;

/** The gateway's list reads. */
export type ListReads = Pick<GraphGateway, 'batchGet' | 'getJson' | 'endpoint'>;

export interface MyWorkReaderOptions {
  readonly budgetMs?: number;
  readonly now?: () => number;
  /** The wait before reading throttled items again (tests pass one that does not sleep). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly concurrency?: number;
}

type Answers = Map<string, Obj | DomainError>;
interface Read {
  readonly id: string;
  readonly kind: WorkKind;
  readonly path: string;
}
/** A read to send again alone, no earlier than Graph asked. */
interface Again extends Read {
  readonly waitMs: number;
}

export class MyWorkReader implements MyWorkPort {
  private readonly budgetMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly concurrency: number;

  constructor(
    private readonly gateway: ListReads,
    opts: MyWorkReaderOptions = {},
  ) {
    this.budgetMs = opts.budgetMs ?? LIST_BUDGET_MS;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.concurrency = Math.max(1, opts.concurrency ?? READ_AGAIN_AT_ONCE);
  }

  async fetch(list: ListName, token: AccessTokenSource, next?: Continuations, budgetMs?: number): Promise<WorkFetch> {
    const deadline = this.now() + Math.min(this.budgetMs, budgetMs ?? this.budgetMs);
    const sources = next ? [] : sourcesFor(list, scopesOf(await token()));
    const reads: Read[] = next
      ? Object.entries(next).flatMap(([id, link]) => {
          const kind = kindOf(id);
          return kind ? [{ id, kind, path: link }] : [];
        })
      : sources.map((s) => ({ id: s.id, kind: s.kind, path: s.url }));
    const answers = next
      ? await this.followAll(list, reads, token, deadline)
      : await this.batchRead(list, reads, token, deadline);
    const items: WorkItem[] = [];
    const seen = new Set<string>();
    const more: Record<string, string> = {};
    const capped: WorkKind[] = [];
    const failed: Array<{ kind: WorkKind; error: DomainError; reads: string[] }> = [];
    for (const read of reads) {
      const answer = answers.get(read.id);
      if (!answer || answer instanceof DomainError) {
        // One sentence per kind: its other reads' rows are still shown. It names every read of
        // the kind that failed as the first did (a refusal names each refused read's permission).
        const error = answer ?? new UpstreamError('Microsoft Graph did not answer this part.');
        const known = failed.find((f) => f.kind === read.kind);
        if (!known) failed.push({ kind: read.kind, error, reads: [read.id] });
        else if (known.error.code === error.code) known.reads.push(read.id);
        continue;
      }
      const value = Array.isArray(answer.value) ? answer.value : [];
      for (const raw of value) {
        const item = rowOf(read.kind, obj(raw), list);
        // A request that changed state between two reads is shown once.
        if (item && !seen.has(`${item.kind}:${item.requestId}`)) {
          seen.add(`${item.kind}:${item.requestId}`);
          items.push(item);
        }
      }
      // The link whole, as Graph gave it (its $skiptoken is opaque and may be long: a cut link
      // is another request, https://learn.microsoft.com/graph/paging); `str` cuts display text.
      const link = answer['@odata.nextLink'];
      if (typeof link === 'string' && link !== '') more[read.id] = link;
      // One note per kind, though its assignment and eligibility reads may both be capped.
      else if (
        list === 'approvals' &&
        read.kind !== 'access' &&
        value.length >= APPROVER_FILTER_CAP &&
        !capped.includes(read.kind)
      )
        capped.push(read.kind);
    }
    failed.sort((a, b) => WORK_KINDS.indexOf(a.kind) - WORK_KINDS.indexOf(b.kind));
    return { items, next: more, capped, failed };
  }

  /**
   * The next pages: each nextLink under this bot's Graph root, all in one $batch as the first pages
   * are (one round trip, not one per link; a nextLink is a URL like any other of the version, sent
   * relative to its root as the batch page asks). https://learn.microsoft.com/graph/json-batching
   */
  private async followAll(list: ListName, reads: readonly Read[], token: AccessTokenSource, deadline: number) {
    const followed: Read[] = [];
    const refused: Answers = new Map();
    for (const r of reads) {
      const path = this.relative(r.path);
      if (path) followed.push({ ...r, path });
      else
        refused.set(r.id, new UpstreamError('Microsoft Graph pointed the next page elsewhere; it was not followed.'));
    }
    const out = followed.length > 0 ? await this.batchRead(list, followed, token, deadline) : new Map();
    for (const [id, error] of refused) out.set(id, error);
    return out;
  }

  /**
   * GETs in JSON batches of at most BATCH_MAX (the batch page's limit: a list has fewer reads, so
   * one batch), each answer by its read's id. A batch is answered 200 while each item is throttled
   * on its own (429 with its own Retry-After): wait that long, never less, then send each throttled
   * read alone through the normal call, whose 429 policy (contract §4) takes over from there, the
   * batch's attempt counted as the read's first. A read whose wait would leave it too little of the
   * list's time is not waited for: its part is said throttled at once ("try again"). An item a busy
   * service answered 503 (or 504) is a read like any other: backed off and read again the same way.
   * https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches
   * https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
   */
  private async batchRead(
    list: ListName,
    reads: readonly Read[],
    token: AccessTokenSource,
    deadline: number,
  ): Promise<Answers> {
    const out: Answers = new Map();
    const again: Again[] = [];
    const chunks: Read[][] = [];
    for (let i = 0; i < reads.length; i += BATCH_MAX) chunks.push(reads.slice(i, i + BATCH_MAX));
    const answered = await Promise.all(chunks.map((chunk) => this.oneBatch(list, chunk, token, deadline)));
    for (const [r, a] of answered.flat()) {
      if (a instanceof DomainError) out.set(r.id, a);
      else if (READ_AGAIN.has(a.status))
        again.push({ ...r, waitMs: parseRetryAfter(a.headers['retry-after'], this.now(), a.headers.date) ?? 1000 });
      else
        out.set(
          r.id,
          a.status >= 200 && a.status < 300
            ? obj(a.body)
            : readRefusal(
                mapGraphError(ROW_OPERATION[list][r.kind], {
                  status: a.status,
                  headers: { get: (name: string) => a.headers[name.toLowerCase()] ?? null },
                  bodyText: JSON.stringify(a.body ?? null),
                }),
              ),
        );
    }
    // Graph's wait is never shortened (https://learn.microsoft.com/graph/throttling): a read whose
    // wait leaves it less than a read's time before the deadline is said now, not waited for.
    const inTime = again.filter((r) => this.now() + r.waitMs + LEAST_READ_MS <= deadline);
    for (const r of again) if (!inTime.includes(r)) out.set(r.id, late(r.waitMs));
    if (inTime.length === 0) return out;
    // One wait, the longest of those read again: none goes out before its own Retry-After.
    await this.sleep(Math.max(...inTime.map((r) => r.waitMs)));
    await this.readAll(list, inTime, token, deadline, out);
    return out;
  }

  /** One $batch of `reads`: each read with its item's answer, or with the error the batch met. */
  private async oneBatch(
    list: ListName,
    reads: readonly Read[],
    token: AccessTokenSource,
    deadline: number,
  ): Promise<Array<[Read, BatchAnswer | DomainError]>> {
    const operation = ROW_OPERATION[list].access;
    try {
      const batch = reads.map((r) => ({ id: r.id, url: r.path }));
      const answers = await this.gateway.batchGet(operation, 'v1.0', batch, token, this.left(deadline));
      // An item the batch's answer left out has no answer: its part is said not read.
      return reads.flatMap((r): Array<[Read, BatchAnswer]> => {
        const a = answers.get(r.id);
        return a ? [[r, a]] : [];
      });
    } catch (e) {
      const error = isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.');
      return reads.map((r) => [r, error]);
    }
  }

  /**
   * GETs, at most `concurrency` at a time, each given only the time the list has left; a read
   * whose turn comes too late, or that Graph had not answered by the deadline, is said late.
   */
  private async readAll(
    list: ListName,
    reads: readonly Read[],
    token: AccessTokenSource,
    deadline: number,
    out: Answers,
  ): Promise<void> {
    let i = 0;
    const worker = async (): Promise<void> => {
      for (let r = reads[i++]; r !== undefined; r = reads[i++]) {
        const left = this.left(deadline);
        if (left < LEAST_READ_MS) {
          out.set(r.id, late());
          continue;
        }
        try {
          // The batch item answered 429/503/504 was this read's first attempt (contract §4: 5 in all).
          const attempts = new Attempts(1);
          const operation = ROW_OPERATION[list][r.kind];
          out.set(r.id, obj(await this.gateway.getJson(operation, 'v1.0', r.path, token, left, attempts)));
        } catch (e) {
          const error = isDomainError(e) ? readRefusal(e) : new UpstreamError('Microsoft Graph could not be read.');
          const unanswered = error.code === 'THROTTLED' || (error.code === 'UPSTREAM' && error.graph.status === null);
          out.set(r.id, unanswered && this.left(deadline) < LEAST_READ_MS ? late() : error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, reads.length) }, worker));
  }

  private left(deadline: number): number {
    return Math.max(0, deadline - this.now());
  }

  /** A nextLink under this bot's Graph root and v1.0, as a path; null for anything else (the user's token goes nowhere else). */
  private relative(link: string): string | null {
    const root = `${this.gateway.endpoint}/v1.0/`;
    return link.startsWith(root) ? `/${link.slice(root.length)}` : null;
  }
}

/** A source the list's deadline left unread: Graph was busy; the person tries again. */
function late(retryMs: number = LATE_RETRY_MS): ThrottledError {
  return new ThrottledError(
    'Microsoft Graph was too busy to answer this part of the list in time.',
    Math.max(LEAST_READ_MS, retryMs) / 1000,
  );
}
