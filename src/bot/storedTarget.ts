// A command remembered for after sign-in (pendingCommand.ts) runs when the token exchange lands,
// maybe on another instance and after an upgrade: its target was checked by whatever version
// remembered it. Before it runs it passes the checks a typed command (commands.ts) or a card's
// press (cardActions.ts, whose code for them it shares) passes now: its ids are GUIDs, its decision
// one its operation takes, the approval stage and moment a button carries as a press checks them,
// its justification cleaned and within its rule (justification.ts), refused in the words its press
// or command would get. One that no longer passes gets the refusal it would get typed or pressed
// now, and nothing of it reaches Graph.

import { withoutAnyControl } from '../domain/characters';
import { nearlyGuidHint, idRefusal } from '../domain/idProblem';
import { CATALOG, OPERATION_NAMES, OperationName, Target, decisionNames, isGuid } from '../domain/operations';
import { ALL_USAGES, BadCommand, GRAMMAR, GrammarRule, truncate, usageOf, valuesHeading } from './grammar';
import { NO_MOMENT, buttonMarks, pressedJustification } from './cardActions';
import { justificationFrom } from './justification';

/** The target as it runs now, or what is wrong with it, as a typed command's refusal says it. */
export type StoredCheck =
  { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly bad: BadCommand };

/** How the command came: typed, or pressed on a card or a list card's row (its words of a problem
 * name the button). */
export type StoredVia = 'command' | 'card' | 'row';

/** A remembered id as its refusal and its audit line name it: without control characters or line
 * separators (characters.ts isControl: from the audit line it reaches the log, the "actions taken"
 * alert card and state keys) and cut as a typed one is shown (grammar.ts truncate). */
export function shownStoredId(v: unknown): string {
  return truncate(withoutAnyControl(String(v ?? '')));
}

/** The command rule a stored target was typed as (or would be): its usage and heading. */
function ruleOf(target: Target): GrammarRule | undefined {
  const rules = GRAMMAR.filter((r) => r.operation === target.operation);
  return (
    rules.find((r) => r.decision === target.decision) ??
    rules.find((r) => typeof r.decision === 'object' && r.decision.oneOf.some((d) => d === target.decision)) ??
    rules[0]
  );
}

/** `target`, remembered by this or an older version, checked and cleaned as one given now. */
export function checkedStoredTarget(target: Target, via: StoredVia): StoredCheck {
  if (!(OPERATION_NAMES as readonly string[]).includes(target.operation))
    return refused({ problem: 'The command names no operation I know.' }, undefined);
  const rule = ruleOf(target);
  const no = (problem: { problem: string; brief?: string }): StoredCheck => refused(problem, rule);
  const spec = CATALOG[target.operation as OperationName];
  const ids: Record<string, string> = {};
  for (const name of spec.idNames) {
    const v = target.ids?.[name];
    if (!isGuid(v))
      return no(
        via === 'command'
          ? idRefusal(name, String(v ?? ''), shownStoredId(v))
          : { problem: `${name} on the button is not a GUID.${nearlyGuidHint(v, 'button')}` },
      );
    ids[name] = v.toLowerCase();
  }
  // The ids as typed name the same GUIDs, or are not kept: the answer and the audit line name these.
  const typed = target.typedIds;
  const sameTyped = typed && spec.idNames.every((n) => typed[n]?.toLowerCase() === ids[n]);
  // The stage and moment a button carries, as a press checks them; a row's carries no moment.
  const marks = buttonMarks(spec, target.afterStage, target.endsAt);
  if (!marks.ok) return no({ problem: marks.problem });
  if (via === 'row' && target.endsAt !== undefined) return no({ problem: NO_MOMENT });
  const named = decisionNames(spec);
  const decision = named?.find((d) => d === target.decision);
  if (named && decision === undefined)
    return no({ problem: `The last value must be ${named.map((d) => `"${d}"`).join(' or ')}.` });
  if (!named && target.decision !== undefined) return no({ problem: `${spec.title} takes no decision.` });
  const { justification: _stored, typedIds: _typed, afterStage: _stage, endsAt: _ends, ...rest } = target;
  const checked: Target = { ...rest, ids, ...(sameTyped ? { typedIds: typed } : {}), ...marks.marks };
  const justificationRule = spec.decisions.find((d) => d.name === decision)?.justification;
  const stored = typeof target.justification === 'string' ? target.justification : undefined;
  // A press is remembered without a justification only where its rule asked none on a card when
  // it was pressed (one that asks refuses it empty, cardActions.ts): by a version from before a PIM
  // Approve asked "Why?", whose cards had no box. It is read as a press naming no box and carrying
  // none is when it comes.
  const given = !justificationRule
    ? null
    : via === 'command'
      ? justificationFrom(stored ?? '', justificationRule)
      : pressedJustification(checked, stored, stored === undefined);
  // A justification on an operation that takes none is not sent.
  if (given === null) return { ok: true, target: checked };
  if ('problem' in given) return no({ problem: given.problem });
  return { ok: true, target: given.justification ? { ...checked, justification: given.justification } : checked };
}

function refused(problem: { problem: string; brief?: string }, rule: GrammarRule | undefined): StoredCheck {
  return {
    ok: false,
    bad: {
      kind: 'bad',
      ...problem,
      usage: rule ? usageOf(rule) : ALL_USAGES,
      ...(rule ? { heading: valuesHeading(rule.words.join(' ')) } : {}),
    },
  };
}
