// The MongoDB connection string as the bot vault's secret mongodb-uri (MONGODB_URI in the pods).

@description('Name of the bot\'s own vault.')
param vaultName string

@description('The connection string.')
@secure()
param connectionString string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource uri 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'mongodb-uri'
  properties: {
    value: connectionString
    contentType: 'MongoDB connection string (MONGODB_URI)'
  }
}
