// Button data on actionable cards names a catalog operation, its ids and, for an operation with
// decisions, which one. It is validated exactly like a typed command and never trusted beyond that.

import {
  CATALOG,
  DecisionName,
  OPERATION_NAMES,
  OperationName,
  OperationSpec,
  Target,
  decisionNames,
  isGuid,
  targetIdOf,
} from '../domain/operations';
import { nearlyGuidHint } from '../domain/idProblem';
import { JustificationFrom, justificationFrom } from './justification';

/** The verb every governance button carries (Action.Execute) or embeds (Action.Submit fallback). */
export const ACT_VERB = 'governance.act';

export interface ButtonData {
  readonly verb: typeof ACT_VERB;
  readonly operation: OperationName;
  readonly ids: Readonly<Record<string, string>>;
  readonly decision?: DecisionName;
  /** The approval stage the card already showed decided (Target.afterStage). */
  readonly afterStage?: string;
  /** The moment the approval the card was sent for ends (Target.endsAt), epoch ms. */
  readonly endsAt?: number;
  /** Which "Why?" box a PIM approval's Approve sends: its card's own, or a list row's one box
   * (BOXES). An empty box sends no field, as a card without one does (parseButtonData). */
  readonly why?: keyof typeof BOXES;
}

/** The boxes a button's `why` names, as the ids of their inputs for the button's item. A short
 * name, not the id: a row's data is sent twice (Action.Execute and its Action.Submit fallback),
 * and a page of ten PIM rows keeps within what Teams accepts in one message (listCards.ts). */
export const BOXES = {
  card: (target: Target): string => justificationInputId(target),
  row: (target: Target): string => sharedJustificationInputId(target),
} as const;

export function buttonData(target: Target): ButtonData {
  return {
    verb: ACT_VERB,
    operation: target.operation,
    ids: target.ids,
    ...(target.decision ? { decision: target.decision } : {}),
    ...(target.afterStage ? { afterStage: target.afterStage } : {}),
    ...(target.endsAt !== undefined ? { endsAt: target.endsAt } : {}),
  };
}

/** The refusal of a button whose approval moment (endsAt) the bot cannot take. */
export const NO_MOMENT = 'The button names no approval moment I can read.';

/** The refusal of a button whose `why` names no box the bot shows. */
export const NO_BOX = 'The button names no “Why?” box I know.';

/** The largest distance from the epoch, in ms, a Date holds (ECMAScript time values). */
const MAX_TIME_MS = 8.64e15;

function isTimeValue(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) <= MAX_TIME_MS;
}

export type ParsedButton =
  { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly problem: string };

export function parseButtonData(data: unknown): ParsedButton {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, problem: 'The button carried no data.' };
  const d = data as Record<string, unknown>;
  const operation = d.operation;
  if (typeof operation !== 'string' || !(OPERATION_NAMES as readonly string[]).includes(operation)) {
    return { ok: false, problem: 'The button names no operation I know.' };
  }
  const name = operation as OperationName;
  const spec = CATALOG[name];
  const rawIds = d.ids;
  if (rawIds === null || typeof rawIds !== 'object') return { ok: false, problem: 'The button carried no ids.' };
  const ids: Record<string, string> = {};
  for (const idName of spec.idNames) {
    const v = (rawIds as Record<string, unknown>)[idName];
    // What is wrong with an id that is nearly a GUID is said, as a typed command's is.
    if (!isGuid(v))
      return { ok: false, problem: `${idName} on the button is not a GUID.${nearlyGuidHint(v, 'button')}` };
    ids[idName] = v.toLowerCase();
  }
  const marks = buttonMarks(spec, d.afterStage, d.endsAt);
  if (!marks.ok) return marks;
  const seen = marks.marks;
  // Cards posted before decisions were catalog data carry a resume's decision as operationStatus.
  const raw = d.decision !== undefined ? d.decision : d.operationStatus;
  const named = decisionNames(spec);
  if (!named) {
    if (raw !== undefined) return { ok: false, problem: `${spec.title} takes no decision.` };
    return { ok: true, target: { operation: name, ids, ...seen } };
  }
  const decision = named.find((n) => n === raw);
  if (decision === undefined) return { ok: false, problem: `The button does not say ${named.join(' or ')}.` };
  const target: Target = { operation: name, ids, decision, ...seen };
  if (!spec.decisions.find((x) => x.name === decision)?.justification) return { ok: true, target };
  // Teams merges the card's inputs into the action's data, but only those holding text: the
  // Adaptive Cards renderer copies an input only when isSet(), and a text input is set only when
  // not empty (node_modules/adaptivecards/lib/card-elements.js, internalPrepareForExecution), so a
  // box left empty where the client did not hold the press back for the required box
  // (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation) sends no
  // field, as a card without a box does. An Approve that opens a box names it (why: the card's
  // own, or a list row's one box shared with Deny, listButtons.ts); the box read is this item's
  // input of that kind, and a name that is no kind is refused.
  const boxNamed = d.why;
  if (boxNamed !== undefined && !(boxNamed === 'card' || boxNamed === 'row')) return { ok: false, problem: NO_BOX };
  const entered = boxNamed !== undefined ? d[BOXES[boxNamed](target)] : enteredWithoutName(d, target);
  // A press naming no box and carrying none came from a card that has none (posted before its
  // Approve asked "Why?").
  const given = pressedJustification(target, entered, boxNamed === undefined && entered === undefined);
  if (given === null) return { ok: true, target };
  if ('problem' in given) return { ok: false, problem: given.problem };
  const { justification } = given;
  return { ok: true, target: justification ? { ...target, justification } : target };
}

/** The approval stage and moment a button carries, checked (undefined: it carries none). */
export function buttonMarks(
  spec: OperationSpec,
  after: unknown,
  ends: unknown,
):
  | { readonly ok: true; readonly marks: Pick<Target, 'afterStage' | 'endsAt'> }
  | { readonly ok: false; readonly problem: string } {
  // The stage a card already showed decided: only on entries whose read lists stages, and a GUID,
  // whose problem is said as an id's is.
  if (after !== undefined && spec.read.decidedBeforeField === undefined)
    return { ok: false, problem: 'The button names no approval stage I know.' };
  if (after !== undefined && !isGuid(after))
    return { ok: false, problem: `afterStage on the button is not a GUID.${nearlyGuidHint(after, 'button')}` };
  // The approval's moment, on a decision button only (Target.endsAt): a whole number of ms a Date
  // holds (ECMAScript time values reach ±8.64e15 ms), since its audit field and the ended card's
  // words stamp it as one.
  if (ends !== undefined && (!isTimeValue(ends) || decisionNames(spec) === null))
    return { ok: false, problem: NO_MOMENT };
  const marks = {
    ...(isGuid(after) ? { afterStage: after.toLowerCase() } : {}),
    ...(isTimeValue(ends) ? { endsAt: ends } : {}),
  };
  return { ok: true, marks };
}

/** The justification a press of `target`'s button gives, `entered` being what its box sent,
 * checked by its decision's rule; `withoutBox`: the press named no box and carried none, so its
 * card has none and the refusal names the command to type instead. Null: the decision takes none. */
export function pressedJustification(target: Target, entered: unknown, withoutBox: boolean): JustificationFrom | null {
  const spec = CATALOG[target.operation];
  const chosen = spec.decisions.find((x) => x.name === target.decision);
  const rule = chosen?.justification;
  if (!rule) return null;
  const words = chosen.command?.words;
  const command = words ? `${[...words, ...spec.idNames.map((n) => target.ids[n])].join(' ')} <reason>` : undefined;
  const text = typeof entered === 'string' ? entered : '';
  return justificationFrom(text, rule, withoutBox ? 'cardWithoutBox' : 'card', command);
}

/** The reason a press whose button names no box carries (cards and rows posted before buttons
 * named it): a list row's PIM Approve (its data names the list) sends it from the row's one box,
 * shared with Deny (listButtons.ts); a notification card's button, from its own box. */
function enteredWithoutName(d: Record<string, unknown>, target: Target): unknown {
  const own = d[justificationInputId(target)];
  const fromRow = own === undefined && target.decision === 'approve' && d.list !== undefined;
  return fromRow ? d[sharedJustificationInputId(target)] : own;
}

/** A list row's button: as any button, but the bot never puts an approval moment on a row (the
 * approver list reads no event's moment), so one that carries it is not the bot's button. */
export function parseRowButtonData(data: unknown): ParsedButton {
  const parsed = parseButtonData(data);
  if (parsed.ok && parsed.target.endsAt !== undefined) return { ok: false, problem: NO_MOMENT };
  return parsed;
}

/** The id of the card input that holds the justification for this item and decision (unique
 * within a list card): a deny's box keeps the name cards already posted use; an approve's (a PIM
 * approval asks for one) has its own, since Adaptive Cards refuse two inputs of one id. */
export function justificationInputId(target: Pick<Target, 'operation' | 'ids' | 'decision'>): string {
  return target.decision === 'approve' ? `justification_approve_${idOf(target)}` : sharedJustificationInputId(target);
}

/** The id of a list row's one box that Approve and Deny both send (listButtons.ts): the deny's. */
export function sharedJustificationInputId(target: Pick<Target, 'operation' | 'ids'>): string {
  return `justification_${idOf(target)}`;
}

const idOf = (target: Pick<Target, 'operation' | 'ids'>): string =>
  targetIdOf({ operation: target.operation, ids: target.ids }).toLowerCase();
