// A team's list of its channels under forgets and captures from several instances, on Azure Blob
// Storage (Azurite on loopback; two state stores on one container are two instances, and a list is
// written only at the ETag read): the scenarios are component/teamListContract.ts.

import { AzureState } from '../../src/state/azure';
import { teamListContract } from '../component/teamListContract';
import { azuriteSession } from '../fixtures/azuriteSession';

describe("conversation references: a team's list of its channels on Azure Storage (Azurite)", function () {
  this.timeout(60_000);
  const session = azuriteSession();
  teamListContract(async () => {
    const container = session.freshContainer();
    const opened: AzureState[] = [];
    return {
      records: () => {
        const state = new AzureState({ connectionString: session.connectionString, container });
        opened.push(state);
        return state.records;
      },
      close: async () => {
        for (const s of opened.splice(0)) await s.close();
      },
    };
  });
});
