// Everything the IDP bot needs in one resource group: its identity (the Azure Bot's app and the
// Azure identity of the pods), the Azure Bot with the Teams channel, AKS with workload identity and
// the Key Vault CSI driver, a container registry, one Key Vault per environment for the services'
// secrets plus one for the bot's own, Cosmos DB for MongoDB vCore (or an existing MongoDB), Log
// Analytics and Application Insights. Outputs named like a configuration key (src/config.ts) go
// into infra/k8s/overlays/<env>/config.yaml as they are; infra/README.md walks through it.
//   az deployment group create -g <rg> -f infra/azure/main.bicep -p namePrefix=... publicHostName=...

@description('Azure region of every regional resource (the bot itself is global).')
param location string = resourceGroup().location

@description('Short lower-case prefix of every resource name (letters and digits, 3-10), e.g. idpbot; names that must be unique in Azure derive from it.')
@minLength(3)
@maxLength(10)
param namePrefix string

@description('Public host name of the bot without scheme (the Gateway API listener\'s host), e.g. idp-bot.contoso.com: the messaging endpoint is https://<host>/api/messages.')
param publicHostName string

@description('Display name of the bot in Teams.')
param botDisplayName string = 'IDP bot'

@description('Bot Service SKU: F0 or S1 (the Teams channel is a standard channel either way).')
@allowed([ 'F0', 'S1' ])
param botSku string = 'F0'

@description('Environments that get their own Key Vault for services\' secrets (KEY_VAULT_URLS / KEY_VAULT_NAMES), lower-case letters and digits, at most 7 characters each.')
param secretEnvironments array = [ 'dev', 'staging', 'prod' ]

@description('Days a deleted secret in an environment vault can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 90

@description('Kubernetes namespace of the bot (infra/k8s: idp-bot).')
param kubernetesNamespace string = 'idp-bot'

@description('Kubernetes service account of the bot (infra/k8s: idp-bot).')
param serviceAccountName string = 'idp-bot'

@description('Kubernetes version of the cluster; empty = the region\'s default.')
param kubernetesVersion string = ''

@description('AKS pricing tier: Free or Standard (uptime SLA; use it for prod).')
@allowed([ 'Free', 'Standard' ])
param aksTier string = 'Standard'

@description('VM size of the AKS nodes (a bot replica requests 250m CPU and 512 MiB).')
param nodeVmSize string = 'Standard_D2s_v5'

@description('AKS nodes at start and the autoscaler\'s minimum (at least 3: replicas spread across nodes).')
@minValue(3)
param nodeCount int = 3

@description('Most AKS nodes the cluster autoscaler adds.')
param nodeMaxCount int = 6

@description('Availability zones of the node pool, e.g. [\'1\', \'2\', \'3\']; empty where the region has none.')
param availabilityZones array = []

@description('vcore: create Azure Cosmos DB for MongoDB vCore; existing: use existingMongoUri (MongoDB 5.0 or later, or a vCore cluster made elsewhere).')
@allowed([ 'vcore', 'existing' ])
param mongoMode string = 'vcore'

@description('Connection string of an existing MongoDB when mongoMode is existing (stored as the bot vault\'s secret mongodb-uri).')
@secure()
param existingMongoUri string = ''

@description('Administrator user of the vCore cluster (mongoMode vcore).')
param mongoAdministratorUserName string = 'idpbot'

@description('Administrator password of the vCore cluster (mongoMode vcore; 8-128 characters).')
@secure()
param mongoAdministratorPassword string = ''

@description('vCore compute tier: M30 (2 vCores, 8 GiB) is enough for one organisation\'s catalog of 100,000 entities; M40 for more headroom.')
param mongoComputeTier string = 'M30'

@description('vCore disk size in GiB.')
@minValue(32)
param mongoStorageSizeGb int = 128

@description('vCore high availability: Disabled, SameZone or ZoneRedundantPreferred (a standby replica; use it for prod).')
@allowed([ 'Disabled', 'SameZone', 'ZoneRedundantPreferred' ])
param mongoHighAvailability string = 'ZoneRedundantPreferred'

@description('Database name (MONGODB_DB).')
param mongoDatabase string = 'idp'

@description('Azure DevOps personal access token of the bot (stored as the bot vault\'s secret azure-devops-pat; scopes in infra/README.md).')
@secure()
param azureDevOpsPat string

@description('Bearer token for the catalog webhooks (stored as catalog-webhook-token), e.g. `openssl rand -hex 32`.')
@secure()
param catalogWebhookToken string

@description('Object id of a person or group that may set the bot\'s secrets later (Key Vault Secrets Officer on the bot vault); empty = nobody.')
param operatorPrincipalId string = ''

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags on every resource.')
param tags object = { application: 'idp-bot' }

// A function sees only its arguments, so the prefix is passed in.
func vaultNameOf(prefix string, env string) string => 'kv-${prefix}-${env}'

var names = {
  identity: 'id-${namePrefix}-bot'
  bot: 'bot-${namePrefix}'
  aks: 'aks-${namePrefix}'
  registry: 'acr${namePrefix}${uniqueString(resourceGroup().id)}'
  botVault: 'kv-${namePrefix}-bot'
  mongo: 'mongo-${namePrefix}-${uniqueString(resourceGroup().id)}'
  workspace: 'log-${namePrefix}'
  appInsights: 'appi-${namePrefix}'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    retentionInDays: logRetentionInDays
    publicHostName: publicHostName
    tags: tags
  }
}

module aks 'modules/aks.bicep' = {
  name: 'aks'
  params: {
    location: location
    clusterName: names.aks
    registryName: names.registry
    kubernetesVersion: kubernetesVersion
    tier: aksTier
    nodeVmSize: nodeVmSize
    nodeCount: nodeCount
    nodeMaxCount: nodeMaxCount
    availabilityZones: availabilityZones
    workspaceId: monitoring.outputs.workspaceId
    tags: tags
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    location: location
    identityName: names.identity
    oidcIssuerUrl: aks.outputs.oidcIssuerUrl
    kubernetesNamespace: kubernetesNamespace
    serviceAccountName: serviceAccountName
    tags: tags
  }
}

module environmentVaults 'modules/environment-vault.bicep' = [for env in secretEnvironments: {
  name: 'vault-${env}'
  params: {
    location: location
    vaultName: vaultNameOf(namePrefix, env)
    botPrincipalId: identity.outputs.principalId
    softDeleteRetentionInDays: softDeleteRetentionInDays
    tags: union(tags, { environment: env })
  }
}]

module botVault 'modules/bot-vault.bicep' = {
  name: 'bot-vault'
  params: {
    location: location
    vaultName: names.botVault
    botPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    azureDevOpsPat: azureDevOpsPat
    catalogWebhookToken: catalogWebhookToken
    tags: tags
  }
}

module mongo 'modules/mongo-vcore.bicep' = if (mongoMode == 'vcore') {
  name: 'mongo-vcore'
  params: {
    location: location
    clusterName: names.mongo
    administratorUserName: mongoAdministratorUserName
    administratorPassword: mongoAdministratorPassword
    computeTier: mongoComputeTier
    storageSizeGb: mongoStorageSizeGb
    highAvailabilityMode: mongoHighAvailability
    botVaultName: botVault.outputs.name
    tags: tags
  }
}

module existingMongo 'modules/mongo-secret.bicep' = if (mongoMode == 'existing') {
  name: 'mongodb-uri-existing'
  params: {
    vaultName: botVault.outputs.name
    connectionString: existingMongoUri
  }
}

module bot 'modules/bot-service.bicep' = {
  name: 'bot'
  params: {
    botName: names.bot
    displayName: botDisplayName
    endpoint: 'https://${publicHostName}/api/messages'
    appId: identity.outputs.clientId
    identityResourceId: identity.outputs.id
    tenantId: identity.outputs.tenantId
    sku: botSku
    tags: tags
  }
}

// Configuration of the bot (names as in src/config.ts): copy into the overlay's config.yaml.
output MicrosoftAppId string = identity.outputs.clientId
output MicrosoftAppType string = 'UserAssignedMSI'
output MicrosoftAppTenantId string = identity.outputs.tenantId
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_TENANT_ID string = identity.outputs.tenantId
output ALLOWED_TENANT_IDS string = identity.outputs.tenantId
output PUBLIC_URL string = 'https://${publicHostName}'
output MONGODB_DB string = mongoDatabase
output KEY_VAULT_LAYOUT string = 'per-environment'
// Vault names and URLs are known before the deployment runs (lambdas cannot index a module loop).
output KEY_VAULT_URLS string = join(map(secretEnvironments, env => '${env}=https://${vaultNameOf(namePrefix, env)}${environment().suffixes.keyvaultDns}'), ',')
output KEY_VAULT_NAMES string = join(map(secretEnvironments, env => '${env}=${vaultNameOf(namePrefix, env)}'), ',')
output AZURE_SUBSCRIPTION_ID string = subscription().subscriptionId
output KEY_VAULT_RESOURCE_GROUP string = resourceGroup().name

// For the SecretProviderClass, kubectl, the image push and the Graph permissions (infra/README.md).
output botVaultName string = botVault.outputs.name
output botPrincipalId string = identity.outputs.principalId
output botServiceName string = bot.outputs.name
output aksClusterName string = aks.outputs.clusterName
output registryLoginServer string = aks.outputs.registryLoginServer
output oidcIssuerUrl string = aks.outputs.oidcIssuerUrl
output logAnalyticsWorkspaceName string = monitoring.outputs.workspaceName
output appInsightsName string = monitoring.outputs.appInsightsName
