// The hook between the governance service's audit point and the channels subscribed to "actions
// taken": every audit line (an attempt through the bot, from chat or card, succeeded, failed or
// refused) becomes a FinishedAction, its card is stored and its fan-out queued in the outbox, so
// the alert survives a restart once `publish` resolved. The audit sink is synchronous, so the
// work runs behind it; `idle()` lets shutdown and tests wait for it.

import type { AuditLine } from '../domain/governance';
import { CATALOG, DECISION_NAMES, DecisionName, OPERATION_NAMES, OperationName } from '../domain/operations';
import { ERROR_CODES, ErrorCode } from '../domain/errors';
import { Records } from '../state/port';
import { FinishedAction, actionAlertCard, actionEventId, outcomeOfError } from './actionFeed';
import { AlertStore } from './alertStore';
import { DigestLog } from './digest';
import { itemKeyOf } from './itemCopies';
import { waitingKeyOf } from './waitingKey';
import { firstCharacters } from '../domain/characters';
import { graphName } from '../domain/shownNames';

/** The item names an alert may show, remembered when the item was announced (see ItemTitles). */
export type ItemNames = (operation: OperationName, ids: Readonly<Record<string, string>>) => Promise<string | null>;

export interface ActionAlertsOptions {
  readonly alerts: AlertStore;
  readonly digest: DigestLog;
  readonly itemTitle?: ItemNames;
  /** Whether any channel subscribes to "actions taken"; when none does, no alert is stored or
   * queued (the digest still counts the action). Default, and when the look fails: publish. */
  readonly anySubscriber?: () => Promise<boolean>;
  /** The waits before the store of the alert is tried again (default ALERT_RETRY_MS). */
  readonly retryDelaysMs?: readonly number[];
  readonly onError: (e: unknown) => void;
  readonly now?: () => number;
}

/** The FinishedAction an audit line describes, or null for a line that is not an action. */
function actionOfAudit(line: AuditLine, at: number): FinishedAction | null {
  const operation = line.operation;
  if (line.event !== 'governance.action' || !(OPERATION_NAMES as readonly string[]).includes(operation)) return null;
  const spec = CATALOG[operation];
  const ids: Record<string, string> = {};
  spec.idNames.forEach((n, i) => (ids[n] = line.targetIds[i] ?? ''));
  const errorCode = (ERROR_CODES as readonly string[]).includes(line.errorCode ?? '')
    ? (line.errorCode as ErrorCode)
    : null;
  const decision = (DECISION_NAMES as readonly string[]).includes(line.decision ?? '')
    ? (line.decision as DecisionName)
    : undefined;
  const via = typeof line.via === 'string' && line.via.startsWith('card') ? 'card' : 'chat';
  // As Teams gave it (activity.from.name): shown as the other names from the directory are.
  const name = graphName(line.userName, 120) ?? '';
  return {
    actionId: line.correlationId,
    operation,
    ids,
    ...(decision ? { decision } : {}),
    actor: { name, id: line.userId },
    outcome: line.outcome === 'succeeded' ? 'succeeded' : errorCode ? outcomeOfError(errorCode) : 'failed',
    errorCode,
    ...(typeof line.foundState === 'string' && line.foundState !== '' ? { foundState: line.foundState } : {}),
    ...(typeof line.decidedBy === 'string' && line.decidedBy !== '' ? { deciderNamed: true as const } : {}),
    ...(line.decidedByAsker === true ? { decidedByActor: true as const } : {}),
    ...(line.notInParent === true ? { notInParent: true as const } : {}),
    // A write whose answer was lost: the person was told it may or may not have taken effect.
    ...(line.mayHaveTakenEffect === true ? { mayHaveTakenEffect: true as const } : {}),
    graphRequestId: line.graphRequestId,
    at,
    via,
  };
}

/** A store that hiccups gets two more tries, all within about two seconds: short enough for a
 * stopping instance (shutdown bounds its wait for the hooks), long enough for a busy moment. */
const ALERT_RETRY_MS: readonly number[] = [250, 1_000];

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ActionAlerts {
  private readonly now: () => number;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: ActionAlertsOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The audit sink's companion: never throws, never waits. */
  readonly onAudit = (line: AuditLine): void => {
    const action = actionOfAudit(line, this.now());
    if (!action) return;
    const task: Promise<void> = this.publish(action)
      .catch(this.opts.onError)
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  };

  /** Resolves when every alert started so far is stored and queued (or failed). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async publish(action: FinishedAction): Promise<void> {
    // The turn does not wait for this count: it may gather with others' first. The waiting list
    // does not wait for it either, and neither waits for the alert: a store that fails the alert
    // loses neither. All three finish (or fail) before the action's hook does, and each failure is
    // reported.
    const results = await Promise.allSettled([
      this.alert(action),
      this.opts.digest.count('actions', action.outcome, action.at, 'soon'),
      // The request no longer waits for anyone (the digest's waiting list, the reminders), whether
      // it was cancelled or decided, through the bot or (DECIDED_ELSEWHERE: a read found it
      // finished) by someone else. A decision on a request with later stages settles it too: a
      // reminder missed is better than one about a request the bot saw decided.
      action.outcome === 'succeeded' || action.errorCode === 'DECIDED_ELSEWHERE'
        ? this.opts.digest.settled(waitingKeyOf({ operation: action.operation, ids: action.ids }))
        : undefined,
    ]);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    for (const e of failures.slice(1)) this.opts.onError(e);
    if (failures.length > 0) throw failures[0];
  }

  /** Stores the action's alert and queues its fan-out, trying again when the store fails (a
   * publish of the same action again keeps the first card and the one outbox row). */
  private async alert(action: FinishedAction): Promise<void> {
    // Most tenants have no ops channel: then an action costs no alert record and no outbox row.
    // When the look fails, the alert is published: one nobody hears costs a row, one lost is gone.
    // The failure is still reported, so a store that keeps failing is seen.
    const lookFailed = (e: unknown): boolean => {
      this.opts.onError(e);
      return true;
    };
    if (!((await this.opts.anySubscriber?.().catch(lookFailed)) ?? true)) return;
    const title = await this.opts.itemTitle?.(action.operation, action.ids).catch(() => null);
    const named: FinishedAction = title ? { ...action, itemNames: { Item: title } } : action;
    const alert = { eventId: actionEventId(action), category: 'actions' as const, card: actionAlertCard(named) };
    const delays = this.opts.retryDelaysMs ?? ALERT_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.opts.alerts.publish(alert);
      } catch (e) {
        const wait = delays[attempt];
        if (wait === undefined) throw e;
        await pause(wait);
      }
    }
  }
}

/** Remembers the title an item was announced with, so later action alerts can name it. */
export class ItemTitles {
  constructor(private readonly records: Records) {}

  async remember(operation: string, ids: Readonly<Record<string, string>>, title: string): Promise<void> {
    if (!title.trim()) return;
    await this.records.put(
      `alerts:title:${itemKeyOf({ operation, ids })}`,
      { title: firstCharacters(title, 200) },
      {
        ttlMs: 30 * 24 * 3_600_000,
      },
    );
  }

  readonly title: ItemNames = async (operation, ids) =>
    (await this.records.get<{ title: string }>(`alerts:title:${itemKeyOf({ operation, ids })}`))?.value.title ?? null;
}
