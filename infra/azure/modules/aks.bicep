// AKS for the bot: OIDC issuer + workload identity (pods get Entra tokens for their service
// account), the Key Vault Secrets Store CSI driver add-on (the bot's own secrets), Container
// Insights to Log Analytics (stdout), Azure CNI overlay with Cilium (enforces NetworkPolicy), and
// a container registry the kubelet may pull from.

@description('Azure region of the cluster and registry.')
param location string

@description('Name of the AKS cluster.')
param clusterName string

@description('Name of the container registry (5-50 letters and digits, globally unique).')
param registryName string

@description('Kubernetes version; empty = the region\'s default.')
param kubernetesVersion string

@description('AKS pricing tier: Free (no SLA) or Standard (uptime SLA).')
@allowed([ 'Free', 'Standard' ])
param tier string

@description('VM size of the nodes.')
param nodeVmSize string

@description('Nodes at start (and the autoscaler\'s minimum): at least 3, so the 3 bot replicas spread across nodes.')
@minValue(3)
param nodeCount int

@description('Most nodes the cluster autoscaler adds.')
param nodeMaxCount int

@description('Availability zones of the node pool, e.g. [\'1\', \'2\', \'3\']; empty where the region has none.')
param availabilityZones array

@description('Resource id of the Log Analytics workspace Container Insights sends logs to.')
param workspaceId string

@description('Tags on every resource.')
param tags object

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: { name: 'Standard' }
  properties: {
    adminUserEnabled: false
  }
}

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: clusterName
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  sku: { name: 'Base', tier: tier }
  properties: {
    dnsPrefix: clusterName
    kubernetesVersion: empty(kubernetesVersion) ? null : kubernetesVersion
    enableRBAC: true
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        type: 'VirtualMachineScaleSets'
        osType: 'Linux'
        osSKU: 'AzureLinux'
        vmSize: nodeVmSize
        count: nodeCount
        enableAutoScaling: true
        minCount: nodeCount
        maxCount: nodeMaxCount
        availabilityZones: empty(availabilityZones) ? null : availabilityZones
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
    }
    oidcIssuerProfile: { enabled: true }
    securityProfile: {
      workloadIdentity: { enabled: true }
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: {
          enableSecretRotation: 'true'
          rotationPollInterval: '2m'
        }
      }
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: workspaceId
        }
      }
    }
  }
}

resource kubeletPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, clusterName, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: cluster.properties.identityProfile.kubeletidentity.objectId
    principalType: 'ServicePrincipal'
  }
}

output clusterName string = cluster.name
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
output registryLoginServer string = registry.properties.loginServer
