// What a command or a card button asks for, apart from the catalog entry's own shape (types.ts).

import type { DecisionName } from './types';

/** What a command or a card button asks for: one operation, its ids (all GUIDs), its decision. */
export interface TargetOf<Operation extends string> {
  readonly operation: Operation;
  /** Ids by the names in the catalog entry's `idNames`, in that order. */
  readonly ids: Readonly<Record<string, string>>;
  /**
   * The ids as the user typed them, when a typed command spelt any in upper case (`ids` holds them
   * lower-cased, for every key and every Graph call): the audit line and the answer name these.
   */
  readonly typedIds?: Readonly<Record<string, string>>;
  /** Which of the entry's decisions (resume completed|failed; later approve|deny); absent for a cancel. */
  readonly decision?: DecisionName;
  /** The decider's words, for a decision that takes them (approve|deny), as Graph is sent them: the
   * command or the card they came from cleaned them (bot/justification.ts). Never logged, only its length. */
  readonly justification?: string;
  /**
   * On a card button of an entry whose read names earlier decided stages: the stage (a GUID) whose
   * decision the card already showed when it was pressed. A click decides only the stage its card
   * was showing: never one that waits only because the clicker decided an earlier stage the card
   * did not show yet (the second click of a double-click). Absent on a card that showed none.
   */
  readonly afterStage?: string;
  /**
   * On a decision button of a notification card: the moment (epoch ms) its event said the approval
   * stage ends (approvalExpiresDateTime). From then on a press sends no decision (cardAction.ts). Not
   * trusted beyond that: a forged later moment only lets Graph judge the decision, as a typed command
   * does; a forged earlier one only stops its own press.
   */
  readonly endsAt?: number;
  /**
   * On a typed command: when the bot received it (epoch ms, the bot's clock). A typed decision
   * decides only a stage that waited when it was sent: never one that waits only because the same
   * person approved the stage before it since (the same command sent twice, before the first answer).
   */
  readonly typedAt?: number;
}
