// What the card-action protocol needs from the state: the items a posted card shows, claims with
// fencing tokens, and whether a claim's holder is still alive. The state layer implements these
// (state/cardBindings.ts, state/claims.ts, state/instances.ts); the protocol knows only this shape.

import { Target } from './operations';

export interface CardItem {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}

/** The final word a card was given for everyone (its buttons gone). */
export interface SettledCardView {
  readonly text: string;
  readonly style: 'good' | 'warning';
}

/** What a notification card said its item was, as the bot rendered the event's validated fields
 * when it posted the card (kept with its binding): a press's answer keeps it above the outcome, so
 * a card decided in a channel still says what was decided. Never taken from a button's data. */
export interface CardAbout {
  /** The card's own heading; '' when it showed the catalog entry's title. */
  readonly title: string;
  /** Who asked for what, in words that stay true once it is decided. */
  readonly line: string;
  readonly facts: ReadonlyArray<{ readonly title: string; readonly value: string }>;
}

export interface BindingPort {
  /** The items the card shows, its final word once it has one, and when what it shows was formed
   * (a notification's acceptance), if known; null when the bot never posted it. */
  cardOf(
    conversationId: string,
    activityId: string,
  ): Promise<{
    readonly items: readonly CardItem[];
    readonly settled: SettledCardView | null;
    readonly formedAt?: number;
    readonly about?: CardAbout;
  } | null>;
  /** Records the final word the card now shows everyone. */
  settle(conversationId: string, activityId: string, settled: SettledCardView): Promise<void>;
}

export interface ClaimOutcomeView {
  readonly outcome: 'succeeded' | 'failed';
  readonly summary: string;
  readonly at: string;
  readonly byName?: string;
  /** False when the decision left the item waiting for someone else (an approval's next stage). */
  readonly final?: boolean;
}

export interface ClaimView {
  readonly state: 'inProgress' | 'done' | 'released';
  readonly holder: { readonly userId: string; readonly userName?: string };
  readonly instance: string;
  readonly leaseUntil: number;
  readonly outcome?: ClaimOutcomeView;
  /** How many times the claim has been taken (the store's fencing counter), when it counts them. */
  readonly fence?: { readonly counter: number };
}

export interface ClaimPort<F> {
  readonly leaseMs: number;
  get(key: string): Promise<ClaimView | null>;
  take(
    key: string,
    holder: { readonly userId: string; readonly userName?: string; readonly activityId?: string },
    orphaned: (r: ClaimView) => boolean,
  ): Promise<
    | { readonly won: true; readonly fence: F; readonly tookOver: boolean }
    | { readonly won: false; readonly record: ClaimView }
  >;
  renew(key: string, fence: F): Promise<boolean>;
  complete(key: string, fence: F, outcome: ClaimOutcomeView): Promise<boolean>;
  release(key: string, fence: F): Promise<boolean>;
  /** How many times the claim has been taken, the taking `fence` proves included (ClaimView.fence). */
  takes?(fence: F): number;
}

export interface LivenessPort {
  /** Whether the process holding a claim is alive (a fresh heartbeat), known to be gone (its pid is
   * not running, or it restarted), or silent (no heartbeat: gone, or alive but unable to write it). */
  liveness(instance: string): Promise<'alive' | 'gone' | 'silent'>;
}

/** Does the card show this item? Operation and every id must match; the decision may differ. */
export function cardShows(items: readonly CardItem[], target: Target): boolean {
  return items.some(
    (item) =>
      item.operation === target.operation &&
      Object.keys(item.ids).length === Object.keys(target.ids).length &&
      Object.entries(item.ids).every(([name, id]) => target.ids[name]?.toLowerCase() === id.toLowerCase()),
  );
}
