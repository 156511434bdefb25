// For the alerts.* tests of the "actions taken" alert: the alert one audit line makes, through the
// action hook (actionAlerts.ts) with a digest that keeps nothing, as the text of the card published.

import { strict as assert } from 'node:assert';
import { ActionAlerts } from '../../src/alerts/actionAlerts';
import { DigestLog } from '../../src/alerts/digest';
import type { AuditLine } from '../../src/domain/governance';

/** The card `line` publishes, as JSON; the hook reports no error and publishes exactly one card. */
export async function actionAlertOf(line: AuditLine): Promise<string> {
  const cards: unknown[] = [];
  const errors: unknown[] = [];
  const hook = new ActionAlerts({
    alerts: { publish: async (a: { card: unknown }) => void cards.push(a.card) } as never,
    digest: { count: async () => undefined, settled: async () => undefined } as unknown as DigestLog,
    onError: (e) => void errors.push(e),
  });
  hook.onAudit(line);
  await hook.idle();
  assert.deepEqual(errors, []);
  assert.equal(cards.length, 1);
  return JSON.stringify(cards[0]);
}
