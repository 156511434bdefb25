// The Graph reads behind "my approvals" and "my requests" (graph-reference §7; which reads:
// myWorkSources.ts), as the signed-in user: every source's first page in one JSON batch, then each
// source's @odata.nextLink on "more".
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { DomainError, UpstreamError, isDomainError } from '../domain/errors';
import { AccessTokenSource } from '../domain/governance';
import {
  Continuations,
  ListName,
  MyWorkPort,
  ROW_OPERATION,
  WORK_KINDS,
  WorkFetch,
  WorkItem,
  WorkKind,
} from '../domain/myWork';
import { isGuid } from '../domain/operations';
import { GraphGateway } from './graphGateway';
import { mapGraphError } from './graphErrors';
import { SOURCES, kindOf } from './myWorkSources';
import { parseRetryAfter } from '../domain/retryAfter';

/** A throttled batch item is re-sent after its Retry-After, but a list never waits longer than this. */
const MAX_BATCH_RETRY_WAIT_MS = 10_000;

/** The statuses of a batch item read again alone after a wait: throttled, or the service busy. */
const READ_AGAIN: ReadonlySet<number> = new Set([429, 503, 504]);

/** PIM's approver filter answers at most 50 requests and no nextLink (anchors-and-user-needs §2.2). */
export const APPROVER_FILTER_CAP = 50;
/** PIM's fixed approval window (pim-approval-workflow): 24 hours, not configurable. */
const PIM_WINDOW_MS = 24 * 3600_000;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 300) : null);

export class MyWorkReader implements MyWorkPort {
  constructor(private readonly gateway: GraphGateway) {}

  async fetch(list: ListName, token: AccessTokenSource, next?: Continuations): Promise<WorkFetch> {
    const reads = next
      ? Object.entries(next).flatMap(([id, link]) => {
          const kind = kindOf(id);
          return kind ? [{ id, kind, url: link }] : [];
        })
      : SOURCES[list];
    const answers = next ? await this.followAll(list, reads, token) : await this.firstPages(list, token);
    const items: WorkItem[] = [];
    const seen = new Set<string>();
    const more: Record<string, string> = {};
    const capped: WorkKind[] = [];
    const failed: Array<{ kind: WorkKind; error: DomainError }> = [];
    for (const read of reads) {
      const answer = answers.get(read.id);
      if (!answer || answer instanceof DomainError) {
        // One sentence per kind: its other reads' rows are still shown.
        if (!failed.some((f) => f.kind === read.kind))
          failed.push({
            kind: read.kind,
            error: answer ?? new UpstreamError('Microsoft Graph did not answer this part.'),
          });
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
      const link = str(answer['@odata.nextLink']);
      if (link) more[read.id] = link;
      else if (list === 'approvals' && read.kind !== 'access' && value.length >= APPROVER_FILTER_CAP)
        capped.push(read.kind);
    }
    failed.sort((a, b) => WORK_KINDS.indexOf(a.kind) - WORK_KINDS.indexOf(b.kind));
    return { items, next: more, capped, failed };
  }

  /** Every source's first page in one $batch (one round trip, not one per source). */
  private async firstPages(list: ListName, token: AccessTokenSource): Promise<Map<string, Obj | DomainError>> {
    const sources = SOURCES[list];
    const out = new Map<string, Obj | DomainError>();
    const operation = ROW_OPERATION[list].access;
    try {
      const answers = await this.gateway.batchGet(
        operation,
        'v1.0',
        sources.map((s) => ({ id: s.id, url: s.url })),
        token,
      );
      // A batch is answered 200 while each item is throttled on its own (429 with its own
      // Retry-After): wait that long, then send each throttled read alone through the normal call,
      // whose 429 policy (contract §4) takes over from there. An item a busy service answered 503
      // (or 504) is a read like any other: backed off and read again the same way.
      // https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches
      // https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
      const throttled = sources.filter((s) => READ_AGAIN.has(answers.get(s.id)?.status ?? 0));
      if (throttled.length > 0) {
        const waits = throttled.map(
          (s) =>
            parseRetryAfter(answers.get(s.id)?.headers['retry-after'], Date.now(), answers.get(s.id)?.headers.date) ??
            1000,
        );
        await new Promise((r) => setTimeout(r, Math.min(MAX_BATCH_RETRY_WAIT_MS, Math.max(...waits))));
      }
      for (const { id, kind, url } of sources) {
        const a = answers.get(id);
        if (!a) continue;
        if (READ_AGAIN.has(a.status)) {
          try {
            out.set(id, obj(await this.gateway.getJson(ROW_OPERATION[list][kind], 'v1.0', url, token)));
          } catch (e) {
            out.set(id, isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.'));
          }
          continue;
        }
        out.set(
          id,
          a.status >= 200 && a.status < 300
            ? obj(a.body)
            : mapGraphError(ROW_OPERATION[list][kind], {
                status: a.status,
                headers: { get: (name: string) => a.headers[name.toLowerCase()] ?? null },
                bodyText: JSON.stringify(a.body ?? null),
              }),
        );
      }
    } catch (e) {
      const error = isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.');
      for (const s of sources) out.set(s.id, error);
    }
    return out;
  }

  private async followAll(
    list: ListName,
    reads: ReadonlyArray<{ readonly id: string; readonly kind: WorkKind; readonly url: string }>,
    token: AccessTokenSource,
  ): Promise<Map<string, Obj | DomainError>> {
    const out = new Map<string, Obj | DomainError>();
    await Promise.all(
      reads.map(async ({ id, kind, url }) => {
        const path = this.relative(url);
        if (!path) {
          out.set(id, new UpstreamError('Microsoft Graph pointed the next page elsewhere; it was not followed.'));
          return;
        }
        try {
          out.set(id, obj(await this.gateway.getJson(ROW_OPERATION[list][kind], 'v1.0', path, token)));
        } catch (e) {
          out.set(id, isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.'));
        }
      }),
    );
    return out;
  }

  /** A nextLink under this bot's Graph root and v1.0, as a path; null for anything else (the user's token goes nowhere else). */
  private relative(link: string): string | null {
    const root = `${this.gateway.endpoint}/v1.0/`;
    return link.startsWith(root) ? `/${link.slice(root.length)}` : null;
  }
}

/** One request as a row; null when it lacks a usable id. */
function rowOf(kind: WorkKind, r: Obj, list: ListName): WorkItem | null {
  const id = r.id;
  if (!isGuid(id)) return null;
  const createdAt = str(r.createdDateTime);
  if (kind === 'access') {
    const schedule = obj(obj(r.schedule).expiration);
    return {
      kind,
      requestId: id.toLowerCase(),
      requester: str(obj(r.requestor).displayName),
      what: str(obj(r.accessPackage).displayName),
      justification: str(r.justification),
      duration: str(schedule.duration),
      createdAt,
      // The stage's window comes from the access package's policy, which the request does not carry.
      expiresAt: null,
    };
  }
  const created = createdAt ? Date.parse(createdAt) : NaN;
  // A PIM request names its approval in `approvalId` (graph-reference §6.4, §7: list with
  // filterByCurrentUser(on='approver'), "then use approvalId"); the approval is decided by that id.
  const approvalId = list === 'approvals' && isGuid(r.approvalId) ? r.approvalId : id;
  return {
    kind,
    requestId: approvalId.toLowerCase(),
    // An activation is asked for by its principal (the expanded relationship carries the name);
    // createdBy.user usually has the id only.
    requester: str(obj(r.principal).displayName) ?? str(obj(obj(r.createdBy).user).displayName),
    what: str(obj(kind === 'role' ? r.roleDefinition : r.group).displayName),
    justification: str(r.justification),
    duration: str(obj(obj(r.scheduleInfo).expiration).duration),
    createdAt,
    expiresAt: list === 'approvals' && !Number.isNaN(created) ? new Date(created + PIM_WINDOW_MS).toISOString() : null,
    // Graph cannot decide a PIM role extension or renewal (pim-approval-workflow): its row says so.
    action: str(r.action),
  };
}
