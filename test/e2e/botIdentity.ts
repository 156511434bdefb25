// Who the bot and its channel are in the end-to-end world: the bot's app id and tenant, and the
// issuer of the tokens the test channel signs activities with. A module of its own so the world
// (harness.ts) and the activities sent to the bot (activities.ts) share them without importing each other.

export const CHANNEL_ISSUER = 'https://api.botframework.test';
export const BOT_APP_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const BOT_TENANT_ID = '5b0c9d1e-7a64-4f2b-9c3d-2e8f1a6b4c70';
