// A typed decision that was not applied because the approval was decided or ended already comes on
// the yellow (warning) card a press shows for the same answer (clickOutcomes.ts graphStateOutcome,
// clickAnswers.ts: an extension or renewal the admin center decides), not on the red failure card.
// Contract §6 asks for an Adaptive Card naming the operation, the ids and the outcome; it names no
// colour. Container styles: https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/card-schema
// (ContainerStyle: default, emphasis, good, attention, warning, accent).

import { strict as assert } from 'node:assert';
import { describeOutcome } from '../../src/cards/outcomeWording';
import { renderCard } from '../../src/cards/render';
import {
  AdminCenterOnlyError,
  DecidedElsewhereError,
  DomainError,
  InvalidStateError,
  NotPermittedError,
} from '../../src/domain/errors';
import type { Target } from '../../src/domain/operations';

const target: Target = {
  operation: 'decideGroupApproval',
  decision: 'approve',
  ids: { requestId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b' },
};
const graph = { status: 200, requestId: 'r' };

function styleOf(error: DomainError, t: Target = target): string {
  const d = describeOutcome({ ok: false, target: t, error, correlationId: 'c' }, { at: new Date(0) });
  assert.equal(d.card, 'error');
  const card = JSON.stringify(renderCard('error', d.data as never));
  const style = /"style":"(\w+)"/.exec(card)?.[1] ?? '';
  assert.equal(style, (d.data as { style: string }).style);
  return style;
}

describe('a typed decision not applied is yellow, a failure red', () => {
  it('another approver decided first: warning', () => {
    const e = new DecidedElsewhereError('x', 'Denied', 'approve', 'Lynne Robbins', null, graph, 'afterRefusal');
    assert.equal(styleOf(e), 'warning');
  });
  it('the stage expired, or closed unreviewed: warning', () => {
    assert.equal(styleOf(new InvalidStateError('x', 'Expired', graph)), 'warning');
    assert.equal(styleOf(new InvalidStateError('x', 'Closed', graph)), 'warning');
  });
  it('an extension or renewal the admin center decides: warning', () => {
    assert.equal(styleOf(new AdminCenterOnlyError('selfExtend', 'PendingApproval', graph)), 'warning');
  });
  it('a refusal, or a state Graph did not name: attention', () => {
    assert.equal(styleOf(new NotPermittedError('x', graph)), 'attention');
    assert.equal(styleOf(new InvalidStateError('x', null, graph)), 'attention');
  });
  it('a cancel already finished keeps its red card (no press compares)', () => {
    const cancel: Target = { operation: 'cancelGroupRequest', ids: { requestId: target.ids.requestId! } };
    assert.equal(styleOf(new InvalidStateError('x', 'Canceled', graph), cancel), 'attention');
  });
});
