// One environment's Key Vault (KEY_VAULT_LAYOUT=per-environment: one vault per environment,
// shared by services; see docs/secrets.md), in RBAC mode, with the bot's two roles on it:
// Key Vault Secrets Officer (it writes, rotates and disables secrets) and Key Vault Data Access
// Administrator restricted by a condition to granting and removing Key Vault Secrets User (the bot
// gives a service's workload identity read access to its secret through ARM, src/adapters/arm).

@description('Azure region of the vault.')
param location string

@description('Name of the vault (3-24 letters, digits and dashes).')
@minLength(3)
@maxLength(24)
param vaultName string

@description('Object id of the bot identity\'s service principal.')
param botPrincipalId string

@description('Days a deleted secret can be recovered (7-90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Tags on the vault.')
param tags object

var secretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var dataAccessAdministratorRoleId = '8b54135c-b56d-4d72-a534-26097cfdc8d8'
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// Only "Key Vault Secrets User" may be assigned or removed with the administrator role.
var onlySecretsUser = '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${secretsUserRoleId}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${secretsUserRoleId}}))'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, botPrincipalId, secretsOfficerRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRoleId)
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource accessAdministrator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, botPrincipalId, dataAccessAdministratorRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataAccessAdministratorRoleId)
    principalId: botPrincipalId
    principalType: 'ServicePrincipal'
    condition: onlySecretsUser
    conditionVersion: '2.0'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
