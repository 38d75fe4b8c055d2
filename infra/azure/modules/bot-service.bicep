// The Azure Bot resource with the Microsoft Teams channel. Its app is the bot's user-assigned
// managed identity (msaAppType UserAssignedMSI): no client secret exists to leak or rotate, and
// the creation of multi-tenant bots is deprecated.

@description('Name of the Azure Bot resource (2-64 characters, unique in Azure).')
param botName string

@description('Display name of the bot in Teams.')
param displayName string

@description('Messaging endpoint, https://<public host>/api/messages.')
param endpoint string

@description('Client id of the bot\'s user-assigned managed identity (MicrosoftAppId).')
param appId string

@description('Resource id of that identity.')
param identityResourceId string

@description('Tenant of that identity (MicrosoftAppTenantId).')
param tenantId string

@description('Bot Service SKU: F0 (free, standard channels such as Teams are free) or S1.')
@allowed([ 'F0', 'S1' ])
param sku string

@description('Tags on the resource.')
param tags object

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: sku }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppId: appId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
    disableLocalAuth: true
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

output name string = bot.name
