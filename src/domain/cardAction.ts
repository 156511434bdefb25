// The card-action protocol: a button press on a posted card becomes at most one Graph write, and
// everyone sees the truth. Bind the click to its card, read Graph's state as the clicker, take the
// item's claim (with a fencing token), write within the click's deadline while renewing the lease,
// complete or release (claimedWrite.ts), and return a typed outcome that the handler turns into a
// card. A click that lost its claim never publishes its outcome: it re-reads Graph and shows that
// instead.
//
// Time. Azure Bot Service gives up on a bot that has not answered within 10 to 15 s, depending
// on the channel (https://learn.microsoft.com/azure/bot-service/bot-builder-howto-long-operations-guidance);
// Teams gives an invoke 5 s before its client retries
// (https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit,
// teams-platform.md §3 "Invoke responses must arrive quickly"). A click therefore answers within
// CLICK_BUDGET_MS (8 s, under the 10 s floor; a retry after 5 s meets the claim and the same
// outcome). The claim's lease (30 s) is far longer and is renewed while Graph works, so a live
// holder never loses it to a slow Graph; a crashed one is recognised by its instance at once.
// A click answered before Graph ("press again if the card has not changed within a minute") ends
// its operation by CLICK_OPERATION_MS from its arrival: every Graph call after its read shares that
// one deadline (each call alone may take 30 s), so the claim is settled or released, and the edit
// for everyone asked for, while the minute holds (45 s, plus the edit's own 15 s connector deadline).

import { claimKey, claimOutcome, claimScope } from './clickOutcomes';
import { GovernanceService } from './governance';
import { DomainError, InvalidStateError, NotSentError, OutOfTimeError, STOPPED_BEFORE_SEND } from './errors';
import { BindingPort, ClaimPort, ClaimView, LivenessPort } from './cardActionPorts';
import { ClaimHolders } from './claimHolders';
import { ClaimedWriteDeps, writeClaimed } from './claimedWrite';
import { ClickReadDeps, readBeforeActing } from './clickRead';
import { Clock } from './clock';
import { Click, ClickOutcome } from './click';
import { cardRefusal, rememberFinalWord } from './cardGate';
import { EarlierStage, earlierStageText, unseenOwnStage } from './laterStage';
import { CATALOG, decisionOf } from './operations';
import { LastAnswer } from './lastAnswer';

/** Takes a refusal's audit line to write later, or never: the line of a press Teams re-sent after a
 * sign-in is the press's one line only once the press its sign-in remembered is known to end with
 * it (resentToken.ts endRefusedResent). */
export type HoldLine = (write: () => void) => void;

export const CLICK_BUDGET_MS = 8_000;
export const CLICK_OPERATION_MS = 45_000;
/** How far another instance's clock may lag this one's when a claim's release is compared with this
 * click's read: a release up to this long before the read is taken for one after it. */
const RELEASE_SKEW_MS = 5_000;

export interface CardActionOptions<F> {
  readonly governance: GovernanceService;
  readonly bindings: BindingPort;
  readonly claims: ClaimPort<F>;
  readonly liveness: LivenessPort;
  readonly clock: Clock;
  /** Failures of work that goes on after a click answered (logged by the caller). */
  readonly onBackgroundError: (e: unknown) => void;
  readonly budgetMs?: number;
  /** The click's whole operation, its Graph calls after the answer included (CLICK_OPERATION_MS). */
  readonly operationMs?: number;
  /** How often a held claim is renewed while Graph works; 0 turns renewal off. */
  readonly renewEveryMs?: number;
}

export class CardActionService<F> {
  private readonly budgetMs: number;
  private readonly operationMs: number;
  /** Writes that outlived their click, so shutdown can let them finish. */
  private readonly late = new Set<Promise<void>>();

  private readonly holders: ClaimHolders<F>;
  private readonly writeDeps: ClaimedWriteDeps<F>;

  constructor(private readonly opts: CardActionOptions<F>) {
    this.budgetMs = opts.budgetMs ?? CLICK_BUDGET_MS;
    this.operationMs = opts.operationMs ?? CLICK_OPERATION_MS;
    this.holders = new ClaimHolders(opts.claims, opts.liveness, opts.clock);
    this.writeDeps = {
      governance: opts.governance,
      claims: opts.claims,
      clock: opts.clock,
      renewEveryMs: opts.renewEveryMs ?? opts.claims.leaseMs / 3,
      onBackgroundError: opts.onBackgroundError,
      late: this.late,
    };
  }

  /** The time on this service's clock, for a click's `arrivedAt`. */
  now(): number {
    return this.opts.clock.now();
  }

  /** Resolves when writes that outlived their clicks have ended. */
  async idle(): Promise<void> {
    while (this.late.size > 0) await Promise.allSettled([...this.late]);
  }

  /** Null when the card the click came from shows the target and has no final word yet; otherwise
   * how to answer (cardGate.ts); its audit line to `hold`, when given. */
  async refusal(click: Click, hold?: HoldLine): Promise<ClickOutcome | null> {
    return (await this.checked(click, hold)).refused;
  }

  /** refusal(), and the click with what its card said the item was (its binding's CardAbout). */
  async checked(given: Click, hold?: HoldLine): Promise<{ refused: ClickOutcome | null; click: Click }> {
    const refuse = (click: Click, error: DomainError, extra?: Record<string, unknown>) =>
      hold ? hold(() => this.refuse(click, error, extra)) : this.refuse(click, error, extra);
    const gate = await cardRefusal(this.opts.bindings, given, (error, extra) => refuse(given, error, extra));
    return { refused: gate.refused ?? this.ended(gate.click, false, refuse), click: gate.click };
  }

  /** A decision pressed at or after the moment its card said the approval stage ends: an access
   * package stage still pending then is denied automatically ("The number of days that a request can
   * be pending a response before it is automatically denied",
   * https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), so no decision is
   * sent after it; the answer needs no token and no read. Null before the moment, or with none. */
  private ended(
    click: Click,
    tokenRefused = false,
    refuse: (click: Click, error: DomainError, extra: Record<string, unknown>) => void = (...a) => this.refuse(...a),
  ): ClickOutcome | null {
    const endsAt = click.target.endsAt;
    if (endsAt === undefined || this.opts.clock.now() < endsAt) return null;
    refuse(click, new InvalidStateError('The approval time ended.', null), {
      approvalEndedAt: new Date(endsAt).toISOString(),
    });
    return { kind: 'ended', endsAt, ...(tokenRefused ? { tokenRefused: true as const } : {}) };
  }

  /** Audits a click refused before Graph (a list no longer kept) as the refusals here (contract §6),
   * or gives its line to `hold`. */
  recordRefusal(click: Click, error: DomainError, extra: Record<string, unknown> = {}, hold?: HoldLine): void {
    if (hold) hold(() => this.refuse(click, error, extra));
    else this.refuse(click, error, extra);
  }

  /** Remembers a notification card's final word (cardGate.ts); a list card's rows settle alone. */
  settleCard(click: Click, outcome: ClickOutcome): Promise<void> {
    return rememberFinalWord(this.opts.bindings, click, outcome, this.opts.onBackgroundError);
  }

  /** Acts on a click whose card shows its target (refusal()) within the budget; `onLate` hears a
   * write that ended after the click answered. One command: its audit line has Graph's last answer. */
  act(click: Click, onLate?: (outcome: ClickOutcome) => void): Promise<ClickOutcome> {
    return this.acting({ ...click, answers: new LastAnswer() }, onLate);
  }

  private async acting(click: Click, onLate?: (outcome: ClickOutcome) => void): Promise<ClickOutcome> {
    const { clock, claims } = this.opts;
    // The budget counts from the invoke's arrival: signing the clicker in (an on-behalf-of
    // exchange) and the card's checks came out of the same time Teams gives the invoke.
    const arrivedAt = click.arrivedAt ?? clock.now();
    const deadlineAt = arrivedAt + this.budgetMs;
    // An entry whose claims are scoped (an approval's stage) learns its key from the read.
    const scoped = CATALOG[click.target.operation].read.claimScopeField !== undefined;

    // A settled claim is the record of who acted through a card: show it rather than Graph's bare
    // state, even when this click's time is gone (it needs no Graph call, and an item a card
    // already changed must never be answered with "nothing was changed").
    if (!scoped) {
      const known = await claims.get(claimKey(click.target));
      if (known?.state === 'done') return this.fromClaim(click, known);
    }
    if (clock.now() >= deadlineAt) return this.failed(click, new OutOfTimeError(), { outOfTime: true });

    const readAt = clock.now();
    const read = await readBeforeActing(this.readDeps(click), click, deadlineAt);
    if (read.kind === 'answer') return read.outcome;
    const key = read.key;
    // A read Graph refused does not stop the write (its answer is the authority), but a press the
    // moment then stops writes nothing, and the token Graph refused must not outlive it.
    const tokenRefused = read.graph.status === 401;
    const stageId = claimScope(click.target, read.item);
    // A click decides only the stage its card was showing, never one that waits only because the
    // clicker decided an earlier stage since (the second click of a double-click).
    const unseen = await this.unseenOwnStage(click, read.item);
    if (unseen) return this.unseenStage(click, unseen, deadlineAt);
    const openWhile = CATALOG[click.target.operation].read.openWhile;
    const leavesOpen =
      decisionOf(click.target)?.mayLeaveOpen === true && openWhile !== undefined && read.item?.[openWhile] === true;
    if (scoped) {
      const known = await claims.get(key);
      if (known?.state === 'done') return this.fromClaim(click, known, stageId);
    }

    // Set once another click held the claim while this one read Graph or waited, and let it go
    // without an outcome: its write failed, possibly after reaching Graph (a 5xx or a timeout says
    // nothing of whether it acted), so this click's read no longer tells whether the item is open.
    let heldMeanwhile = false;
    for (let attempt = 0; attempt < 2; attempt++) {
      // The moment may have come while Graph was read or another click held the claim.
      const ended = this.ended(click, tokenRefused);
      if (ended) return ended;
      const current = await claims.get(key);
      // A release stamps its lease end with the moment it let go (on its instance's clock).
      if (current?.state === 'released' && current.leaseUntil >= readAt - RELEASE_SKEW_MS) heldMeanwhile = true;
      const dead = current ? await this.holders.orphaned(current) : false;
      // No await from here to the take: a press given up at shutdown takes no claim, sends nothing.
      if (click.mayWrite?.() === false) return this.failed(click, new NotSentError(STOPPED_BEFORE_SEND, read.graph));
      const taken = await claims.take(
        key,
        {
          userId: click.actor.aadObjectId,
          userName: click.userName,
          ...(click.cardActivityId ? { activityId: click.cardActivityId } : {}),
        },
        ClaimHolders.stillOrphaned(current, dead),
      );
      if (taken.won) {
        // Held when looked at, free when taken, not taken over: let go in between.
        if (current?.state === 'inProgress' && !taken.tookOver) heldMeanwhile = true;
        // Taken and let go by another click between the look and this take: it counted that taking.
        const takes = claims.takes?.(taken.fence);
        if (takes !== undefined && takes > (current?.fence?.counter ?? 0) + 1) heldMeanwhile = true;
        if (taken.tookOver || heldMeanwhile) {
          // The previous holder may have written before it died or let go: Graph decides.
          const again = await readBeforeActing(this.readDeps(click), click, deadlineAt, key);
          if (again.kind === 'answer') {
            await claims.release(key, taken.fence);
            return again.outcome;
          }
        }
        const ended = this.ended(click, tokenRefused);
        if (ended) {
          await claims.release(key, taken.fence);
          return ended;
        }
        const times = { deadlineAt, endAt: arrivedAt + this.operationMs };
        return writeClaimed(this.writeDeps, click, key, taken.fence, times, leavesOpen, onLate, stageId);
      }
      if (taken.record.state === 'done') return this.fromClaim(click, taken.record, stageId);
      // Another click is acting (a double-click, a colleague, Teams re-sending a slow invoke):
      // its outcome is this clicker's answer too, if it comes in time.
      const waited = await this.holders.waitFor(key, deadlineAt);
      heldMeanwhile = true;
      if (waited?.state === 'done') return this.fromClaim(click, waited, stageId);
      if (waited && waited.state === 'inProgress') {
        this.refuse(click, new InvalidStateError('Claimed by another click.', null, read.graph), {
          claimedBy: waited.holder.userId,
        });
        return { kind: 'busy', holderName: waited.holder.userName ?? 'Someone' };
      }
    }
    return this.failed(click, new NotSentError('Another click kept this item busy, so nothing was sent.', read.graph));
  }

  private readDeps(click: Click): ClickReadDeps {
    return {
      governance: this.opts.governance,
      clock: this.opts.clock,
      holders: this.holders,
      refuse: (error) => this.refuse(click, error),
      fromClaim: (record, stageId) => this.fromClaim(click, record, stageId),
    };
  }

  private fromClaim(click: Click, record: ClaimView, stageId?: string): ClickOutcome {
    this.refuse(click, new InvalidStateError('Already done through this card.', null), {
      alreadyDoneBy: record.outcome?.byName ?? null,
    });
    return claimOutcome(record, stageId);
  }

  /**
   * The clicker's earlier stage decision the clicked card did not show (laterStage.ts). A card that
   * names no stage it showed decided (a notification card about the stage now open) shows what was
   * known when its notification was accepted: a decision well before that is one it was formed
   * after. Read only when there is such a decision (rare), so a click pays nothing for it otherwise.
   */
  private async unseenOwnStage(
    click: Click,
    item: Readonly<Record<string, unknown>> | undefined,
  ): Promise<EarlierStage | null> {
    const unseen = unseenOwnStage(click, item);
    if (!unseen || click.cardReadAt !== undefined || !click.cardActivityId) return unseen;
    const card = await this.opts.bindings.cardOf(click.conversationId, click.cardActivityId).catch(() => null);
    return card?.formedAt === undefined ? unseen : unseenOwnStage({ ...click, cardReadAt: card.formedAt }, item);
  }

  /** A press on the card as it was before the clicker decided an earlier stage: that decision (the
   * claim's record when a card made it, else Graph's) is the answer, with the next stage's buttons. */
  private async unseenStage(click: Click, stage: EarlierStage, deadlineAt: number): Promise<ClickOutcome> {
    const field = CATALOG[click.target.operation].read.claimScopeField ?? '';
    const record = await this.holders.waitFor(claimKey(click.target, { [field]: stage.stageId }), deadlineAt);
    if (record?.state === 'done' && record.outcome?.final === false)
      return this.fromClaim(click, record, stage.stageId);
    this.refuse(click, new InvalidStateError('The card did not show the clicker’s earlier stage decided.', null), {
      decidedStageId: stage.stageId,
    });
    return { kind: 'progressed', text: earlierStageText(click, stage), stageId: stage.stageId };
  }

  private failed(click: Click, error: DomainError, extra: Record<string, unknown> = {}): ClickOutcome {
    this.refuse(click, error, extra);
    return { kind: 'failed', error };
  }

  private refuse(click: Click, error: DomainError, extra: Record<string, unknown> = {}): void {
    const { target, actor, audit, answers } = click;
    this.opts.governance.recordRefusal(target, actor.aadObjectId, error, { ...audit, ...extra }, answers);
  }
}
