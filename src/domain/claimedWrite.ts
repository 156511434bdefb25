// A click's write once it holds the item's claim: the lease is renewed while Graph works, every
// Graph call shares what is left of the click's operation, and the claim is completed with the
// outcome everyone then sees, or released when nothing was written. A write that outlives its
// click's budget goes on holding the claim; the click answers "pending" and `onLate` hears the end.

import { ClaimPort } from './cardActionPorts';
import { superseded } from './clickRead';
import { Clock, beforeDeadline } from './clock';
import { Click, ClickOutcome } from './click';
import { GovernanceService } from './governance';
import { decidedMeanwhile, decidedText, leftOpen } from './laterStage';
import { renewWhileWorking } from './leaseRenewal';
import { CATALOG } from './operations';

export interface ClaimedWriteDeps<F> {
  readonly governance: GovernanceService;
  readonly claims: ClaimPort<F>;
  readonly clock: Clock;
  /** How often the held claim is renewed while Graph works; 0 turns renewal off. */
  readonly renewEveryMs: number;
  /** Failures of work that goes on after a click answered (logged by the caller). */
  readonly onBackgroundError: (e: unknown) => void;
  /** Writes that outlived their click, so shutdown can let them finish. */
  readonly late: Set<Promise<void>>;
}

/** Writes the click's target under the claim `key` held with `fence`: answers by `deadlineAt`,
 * ends its Graph calls by `endAt`; `stageId`, the stage the claim is for (an approval's). */
export async function writeClaimed<F>(
  deps: ClaimedWriteDeps<F>,
  click: Click,
  key: string,
  fence: F,
  { deadlineAt, endAt }: { readonly deadlineAt: number; readonly endAt: number },
  leavesOpen: boolean,
  onLate?: (outcome: ClickOutcome) => void,
  stageId?: string,
): Promise<ClickOutcome> {
  const { governance, claims, clock, renewEveryMs, onBackgroundError, late } = deps;
  const stopRenewing = new AbortController();
  const renewal = renewWhileWorking(
    claims,
    clock,
    { key, fence, everyMs: renewEveryMs },
    stopRenewing.signal,
    onBackgroundError,
  );
  // The write decides the stage this click claimed (an approval's), never one found open later.
  const idName = CATALOG[click.target.operation].idFromRead;
  const target =
    idName && stageId ? { ...click.target, ids: { ...click.target.ids, [idName]: stageId } } : click.target;
  // Every Graph call from here on shares what is left of the click's operation (endAt).
  const left = () => endAt - clock.now();
  const finish = governance
    .perform(target, click.actor, click.audit, left(), click.answers)
    // The read before may not list a stage that has not started: the one after shows it started
    // (read while the lease is still renewed).
    .then(async (outcome) => ({
      outcome,
      open: !outcome.ok || leavesOpen ? ('yes' as const) : await leftOpen(governance, click, left()),
    }))
    .finally(() => stopRenewing.abort())
    .then(async ({ outcome, open }) => {
      await renewal;
      // Graph has answered: a store failing now must not hide that answer behind an error card.
      // The claim is left to lapse with its lease; the next press reads Graph before any write.
      const unsettled = (e: unknown): boolean => {
        onBackgroundError(e);
        return true;
      };
      if (!outcome.ok) {
        await claims.release(key, fence).catch(unsettled);
        // Another approver decided the claimed stage first (409) and the clicker's next one is open.
        const moved = stageId ? await decidedMeanwhile(governance, click, stageId, left()) : null;
        return moved ?? ({ kind: 'failed', error: outcome.error } as ClickOutcome);
      }
      leavesOpen = open !== 'no';
      const at = new Date(clock.now());
      const summary = decidedText(click, at, open, outcome.endedSince);
      const held = await claims
        .complete(key, fence, {
          outcome: 'succeeded',
          summary,
          at: at.toISOString(),
          byName: click.userName,
          ...(leavesOpen ? { final: false } : {}),
        })
        .catch(unsettled);
      if (held) {
        return (
          leavesOpen
            ? { kind: 'progressed', text: summary, ...(stageId ? { stageId } : {}) }
            : { kind: 'settled', text: summary, style: 'good', own: true }
        ) as ClickOutcome;
      }
      return superseded(governance, clock, click, deadlineAt);
    });
  const answered = await beforeDeadline(clock, deadlineAt, finish);
  if (answered.inTime) return answered.value;
  // The click must answer now; the write goes on, holding the claim until Graph answers.
  const tracked: Promise<void> = finish
    .then((outcome) => onLate?.(outcome), onBackgroundError)
    .finally(() => late.delete(tracked));
  late.add(tracked);
  return { kind: 'pending' };
}
