// Azure Cosmos DB for MongoDB vCore (Microsoft.DocumentDB/mongoClusters), not the RU-based
// account, because of what this code relies on (infra/README.md, "Storage"):
// - unique indexes created by `npm run db:migrate` on collections that may already hold data (RU
//   accounts accept a unique index only on an empty collection);
// - no request-unit throttling (RU answers 16500 / 429 under bursts such as a 100,000-entity
//   catalog import or an index snapshot write);
// - multi-document transactions without RU's fixed 5-second limit.
// The connection string goes to the bot's vault (secret mongodb-uri), never to an output.

@description('Azure region of the cluster.')
param location string

@description('Name of the cluster (3-40 lower-case letters, digits and dashes).')
@minLength(3)
@maxLength(40)
param clusterName string

@description('Administrator user name of the cluster.')
param administratorUserName string

@description('Administrator password of the cluster (8-128 characters).')
@secure()
param administratorPassword string

@description('Compute tier, e.g. M30 (2 vCores, 8 GiB) or M40 (4 vCores, 16 GiB).')
param computeTier string

@description('Disk size per shard in GiB (32-16384).')
@minValue(32)
param storageSizeGb int

@description('High availability: Disabled, SameZone or ZoneRedundantPreferred (a standby replica).')
@allowed([ 'Disabled', 'SameZone', 'ZoneRedundantPreferred' ])
param highAvailabilityMode string

@description('Name of the bot\'s own vault, where the connection string is stored as mongodb-uri.')
param botVaultName string

@description('Tags on the cluster.')
param tags object

resource cluster 'Microsoft.DocumentDB/mongoClusters@2025-09-01' = {
  name: clusterName
  location: location
  tags: tags
  properties: {
    administrator: {
      userName: administratorUserName
      password: administratorPassword
    }
    serverVersion: '7.0'
    compute: { tier: computeTier }
    storage: { sizeGb: storageSizeGb }
    sharding: { shardCount: 1 }
    highAvailability: { targetMode: highAvailabilityMode }
    publicNetworkAccess: 'Enabled'
  }
}

// 0.0.0.0-0.0.0.0 admits Azure services (the AKS egress address) only. A private endpoint is the
// stricter option for production: see infra/README.md.
resource azureServices 'Microsoft.DocumentDB/mongoClusters/firewallRules@2025-09-01' = {
  parent: cluster
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

module secret 'mongo-secret.bicep' = {
  name: 'mongodb-uri-vcore'
  params: {
    vaultName: botVaultName
    connectionString: replace(replace(cluster.properties.connectionString, '<user>', administratorUserName), '<password>', uriComponent(administratorPassword))
  }
}

output host string = cluster.name
