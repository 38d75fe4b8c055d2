// The bot's one identity: a user-assigned managed identity that is at once the Azure Bot's app
// (msaAppType UserAssignedMSI), the Azure identity for Key Vault, ARM and Graph (AZURE_CLIENT_ID),
// and the identity the CSI driver reads the bot's own secrets with. Its pods get tokens through
// AKS workload identity: a federated credential trusts the cluster's OIDC issuer for exactly one
// Kubernetes service account.

@description('Azure region of the identity.')
param location string

@description('Name of the user-assigned managed identity.')
param identityName string

@description('OIDC issuer URL of the AKS cluster (workload identity).')
param oidcIssuerUrl string

@description('Kubernetes namespace of the bot\'s service account (infra/k8s uses idp-bot).')
param kubernetesNamespace string

@description('Name of the bot\'s Kubernetes service account (infra/k8s uses idp-bot).')
param serviceAccountName string

@description('Tags on every resource.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource federated 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'aks-${kubernetesNamespace}-${serviceAccountName}'
  properties: {
    issuer: oidcIssuerUrl
    subject: 'system:serviceaccount:${kubernetesNamespace}:${serviceAccountName}'
    audiences: [ 'api://AzureADTokenExchange' ]
  }
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId
