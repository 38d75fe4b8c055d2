// The bot's own secrets (not the services'): the Azure DevOps PAT, the catalog webhook token and
// the MongoDB connection string. The CSI driver reads them with the bot's workload identity (Key
// Vault Secrets User) and syncs them to the Kubernetes Secret the pods' env reads
// (infra/k8s/base/secret-provider-class.yaml). Values come in as secure parameters and are never
// outputs.

@description('Azure region of the vault.')
param location string

@description('Name of the vault (3-24 letters, digits and dashes).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Object id of the bot identity\'s service principal (reads the secrets through the CSI driver).')
param botPrincipalId string

@description('Object id of a person or group that may set the secrets later (Key Vault Secrets Officer); empty = nobody.')
param operatorPrincipalId string

@description('Azure DevOps personal access token of the bot (secret azure-devops-pat).')
@secure()
param azureDevOpsPat string

@description('Bearer token pipelines send to the catalog webhooks (secret catalog-webhook-token).')
@secure()
param catalogWebhookToken string

@description('Tags on the vault.')
param tags object

var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, botPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource operator 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorPrincipalId)) {
  name: guid(vault.id, operatorPrincipalId, secretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRoleId)
    principalId: operatorPrincipalId
  }
}

resource pat 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'azure-devops-pat'
  properties: {
    value: azureDevOpsPat
    contentType: 'Azure DevOps PAT (AZURE_DEVOPS_PAT)'
  }
}

resource webhookToken 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'catalog-webhook-token'
  properties: {
    value: catalogWebhookToken
    contentType: 'Catalog webhook bearer token (CATALOG_WEBHOOK_TOKEN)'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
