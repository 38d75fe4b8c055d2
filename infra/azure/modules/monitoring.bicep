// Where logs and availability land: a Log Analytics workspace (AKS Container Insights sends every
// pod's stdout there, so the bot's pino JSON lines are queryable as ContainerLogV2) and a
// workspace-based Application Insights with a standard availability test of the public endpoint.

@description('Azure region of the workspace and Application Insights.')
param location string

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Days logs are kept (30-730).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Public host name of the bot (no scheme): the availability test sends HEAD https://<host>/api/messages, which the bot answers 200.')
param publicHostName string

@description('Tags on every resource.')
param tags object

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// HEAD /api/messages is what Teams clients and the Agents Playground probe; no token is needed.
resource availability 'Microsoft.Insights/webtests@2022-06-15' = {
  name: '${appInsightsName}-messages-endpoint'
  location: location
  tags: union(tags, { 'hidden-link:${appInsights.id}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: '${appInsightsName}-messages-endpoint'
    Name: 'Bot endpoint answers'
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: true
    Locations: [
      { Id: 'emea-nl-ams-azr' }
      { Id: 'us-va-ash-azr' }
      { Id: 'apac-sg-sin-azr' }
    ]
    Request: {
      RequestUrl: 'https://${publicHostName}/api/messages'
      HttpVerb: 'HEAD'
      ParseDependentRequests: false
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 14
    }
  }
}

output workspaceId string = workspace.id
output workspaceName string = workspace.name
output appInsightsName string = appInsights.name
