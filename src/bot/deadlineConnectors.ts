// The connectors a turn's answer and every proactive send go through: each call to the Bot
// Connector within a deadline (connectorDeadline.ts), retried only as its kind allows
// (connectorRetry.ts), and made only to a service URL the bot may answer, never to a default host
// botbuilder would otherwise fall back to.

import { ConnectorClient, ConnectorFactory } from 'botframework-connector';
import { isAnswerableServiceUrl } from '../http/activityEnvelope';
import { ConnectorClients } from './connectorClients';
import { withDeadline } from './connectorDeadline';
import { ConnectorKind, fitRetry } from './connectorRetry';

/** Connectors with a deadline and the retry of their kind (connectorRetry.ts), and only for a
 * service URL the bot may answer (never a default host); one client per kind, app id, service URL
 * and audience (connectorClients.ts). */
export class DeadlineConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly deadlineMs: number,
    private readonly clients: ConnectorClients<ConnectorClient>,
    /** The app id the inner factory was built for (botbuilder's getAppId of the claims). */
    private readonly appId: string | undefined,
    private readonly kind: ConnectorKind,
  ) {
    super();
  }

  async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    if (!isAnswerableServiceUrl(serviceUrl)) throw new Error('The conversation has no usable serviceUrl.');
    return this.clients.get(this.kind, this.appId, serviceUrl, audience, async () => {
      const client = fitRetry(await this.inner.create(serviceUrl, audience), this.kind, this.deadlineMs);
      return withDeadline(client, this.deadlineMs);
    });
  }
}
