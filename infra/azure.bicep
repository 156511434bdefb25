// Governance Bot on Azure, for the global Microsoft cloud: a user-assigned managed identity that is
// the bot's identity (no bot secret), an Azure Bot on the Teams channel, a Linux App Service on
// Node 20 that runs `exec node scripts/start.js` (what `npm start` runs: npm would not pass App
// Service's SIGTERM on to it; `exec` because App Service runs the command from a generated sh
// script, which would not pass it on either), and a Storage account (a blob container for records, a queue for
// the outbox) shared by every instance, which the identity reaches keyless (Azure RBAC, no Shared Key). Deployed by `arm/deploy` in m365agents.yml, or by
// `az deployment group create` (README, "Deploy to Azure").
//
// Every app setting below is a variable src/config.ts reads (CONFIG_KEYS) or a platform setting
// the README lists; test/unit/infra.test.ts checks both directions.

@description('Names every resource (the web app is https://<name>.azurewebsites.net). Letters, digits and hyphens.')
@minLength(3)
@maxLength(40)
param resourceBaseName string

param location string = resourceGroup().location

@description('App Service plan SKU. B1 or above: Always On keeps the outbox worker running, and the Free and Shared tiers do not offer it.')
@allowed(['B1', 'B2', 'B3', 'S1', 'S2', 'S3', 'P0v3', 'P1v3', 'P2v3', 'P3v3'])
param webAppSku string = 'B1'

param botDisplayName string = 'Governance Bot'

@description('The Entra app of Teams SSO (AAD_APP_CLIENT_ID); see scripts/register-sso-app.js.')
param aadAppClientId string

@secure()
@description('A client secret of that app (AAD_APP_CLIENT_SECRET).')
param aadAppClientSecret string

param aadAppTenantId string = tenant().tenantId

@description('Entra group object id(s), comma-separated, whose members may change any channel alerts besides team owners (ALERTS_ADMIN_GROUP_ID). Empty or none: team owners only.')
param alertsAdminGroupId string = ''

// At most 56 characters: the outbox queue is '<container>-outbox', and a queue name has at most 63.
@description('Blob container of the state records (STORAGE_CONTAINER): 3-56 lowercase letters, digits and single hyphens.')
@minLength(3)
@maxLength(56)
param stateContainerName string = 'governance-bot'

// The bot derives its outbox queue from the container name (src/state/azure.ts outboxQueueName),
// so the queue is named the same way here rather than being a second parameter that could drift.
var outboxQueueName = '${stateContainerName}-outbox'

var storageAccountName = toLower(take('${replace(resourceBaseName, '-', '')}${uniqueString(resourceGroup().id)}', 24))

// https://learn.microsoft.com/azure/templates/microsoft.managedidentity/userassignedidentities
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

// https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The bot signs in as its managed identity (the role assignments below), so no request needs
    // an account key: Shared Key is refused, as Microsoft recommends and as an Azure Policy may
    // require (https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent).
    // The default (null) would mean allowed.
    allowSharedKeyAccess: false
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource stateContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: stateContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource outboxQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: outboxQueueName
}

// The bot's identity reads and writes the records and the outbox as itself (Azure RBAC, no key):
// https://learn.microsoft.com/azure/storage/blobs/assign-azure-role-data-access and
// https://learn.microsoft.com/azure/storage/queues/assign-azure-role-data-access. The role ids are
// the built-in ones (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage):
// Storage Blob Data Contributor and Storage Queue Data Contributor. Creating them needs
// Microsoft.Authorization/roleAssignments/write on the resource group (README, "You need").
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// https://learn.microsoft.com/azure/templates/microsoft.authorization/roleassignments
resource blobDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    // A new identity may not have replicated yet; the type lets the assignment go through anyway.
    principalType: 'ServicePrincipal'
  }
}

resource queueDataRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// https://learn.microsoft.com/azure/templates/microsoft.web/serverfarms (reserved: Linux)
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

// Node on App Service for Linux: https://learn.microsoft.com/azure/app-service/configure-language-nodejs?pivots=platform-linux
// (linuxFxVersion NODE|20-lts; SCM_DO_BUILD_DURING_DEPLOYMENT lets the zip deploy run `npm install`
// and `npm run build` on Linux, so better-sqlite3's native module matches the host).
resource web 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'exec node scripts/start.js'
      alwaysOn: true
      // App Service takes an instance out of rotation (and later replaces it) while this page
      // fails; /readyz fails when the state store or Entra ID cannot be reached, /healthz never:
      // https://learn.microsoft.com/azure/app-service/monitor-instances-health-check
      healthCheckPath: '/readyz'
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
    }
  }
}

// The app settings, as their own resource so that BOT_ENDPOINT can name the web app's host (a
// site cannot reference its own defaultHostName in its own properties):
// https://learn.microsoft.com/azure/templates/microsoft.web/sites/config-appsettings
resource webSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: web
  name: 'appsettings'
  properties: {
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
    // Seconds App Service waits after SIGTERM before it kills the process (default 5, at most 120:
    // https://learn.microsoft.com/azure/app-service/reference-app-settings#custom-containers). The
    // bot's graceful shutdown takes up to 9.5 s (src/shutdown.ts FORCED_EXIT_MS).
    WEBSITES_CONTAINER_STOP_TIME_LIMIT: '30'
    MicrosoftAppId: identity.properties.clientId
    MicrosoftAppType: 'UserAssignedMSI'
    MicrosoftAppTenantId: identity.properties.tenantId
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_CLIENT_SECRET: aadAppClientSecret
    AAD_APP_TENANT_ID: aadAppTenantId
    // Keyless: the account's endpoints in this cloud (its own suffix), signed in to as MicrosoftAppId.
    STORAGE_BLOB_ENDPOINT: storage.properties.primaryEndpoints.blob
    STORAGE_QUEUE_ENDPOINT: storage.properties.primaryEndpoints.queue
    STORAGE_CONTAINER: stateContainer.name
    // Where Teams opens the sign-in page (the OAuth card's Sign in button): this web app.
    BOT_ENDPOINT: 'https://${web.properties.defaultHostName}'
    // `none` is how env/.env.dev says "team owners only": the Agents Toolkit takes an empty variable
    // for an unset one and refuses to deploy (test/unit/deploy.toolkitVariables.test.ts). In any
    // case (=~): passed through, `None` would stop the bot at start, the deployment succeeded.
    ALERTS_ADMIN_GROUP_ID: alertsAdminGroupId =~ 'none' ? '' : alertsAdminGroupId
  }
  // The bot starts on these settings: its roles on the account come first.
  dependsOn: [
    blobDataRole
    queueDataRole
  ]
}

// The Azure Bot with the managed identity as its app: https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices
// and https://learn.microsoft.com/azure/bot-service/provision-and-publish-a-bot (user-assigned managed identity).
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${web.properties.defaultHostName}/api/messages'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: identity.properties.tenantId
    msaAppType: 'UserAssignedMSI'
  }
}

// https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices/channels
resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// The Agents Toolkit writes these outputs to env/.env.<environment> (the manifest and the SSO
// registration read BOT_ID and BOT_DOMAIN; deploy reads the web app's resource id).
output BOT_ID string = identity.properties.clientId
output BOT_DOMAIN string = web.properties.defaultHostName
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = web.id
output OUTBOX_QUEUE_NAME string = outboxQueue.name
