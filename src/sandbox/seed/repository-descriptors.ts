/**
 * The root `catalog-info.yaml` of each seeded Azure DevOps repository (demo-org.ts), so catalog
 * ingestion from Azure DevOps works in the sandbox. Each is the same Component document as in the
 * seed catalog folder (src/sandbox/seed/catalog): two locations saying the same thing about an
 * entity do not conflict. A unit test keeps the two in step.
 */
export const REPOSITORY_DESCRIPTORS: Record<string, string> = {
  'payments-api': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
  title: Payments API
  description: Authorises and captures card payments for checkout.
  tags: [java, spring-boot, pci]
  annotations:
    dev.azure.com/project-repo: Payments/payments-api
    dev.azure.com/build-definition: payments-api-ci,payments-api-deploy
    idp.dev/aliases: payapi,payment-service,pay-api
    idp.dev/tier: tier-1
    idp.dev/keyvault-secret-prefix: payments-api
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Apayments-general%40thread.tacv2/General?groupId=10000000-0000-4000-b000-000000000001&tenantId=c0ffee00-0000-4000-8000-000000000001
    idp.dev/email: payments@contoso.example
    idp.dev/oncall-rotation: payments-primary
    idp.dev/oncall-current: Alice Developer <alice@contoso.example>
    idp.dev/oncall-escalation: Bob Manager <bob@contoso.example>, Grace Oncall <grace@contoso.example>
    azure.workload.identity/client-id: 3c1d0000-0000-4000-8000-0000000c1a01
  links:
    - url: https://grafana.contoso.example/d/payments-api
      title: Payments API dashboard
    - url: https://logs.contoso.example/app/payments-api
      title: Payments API logs
    - url: https://runbooks.contoso.example/payments/payments-api
      title: Payments API runbook
    - url: https://dev.azure.com/contoso/Payments/_git/payments-api
      title: Repository
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: payments
  providesApis: [payments-rest-api, payment-events]
  dependsOn: [resource:payments-db, resource:payments-events-queue]
`,
  'payments-web': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-web
  title: Payments web
  description: The card form and 3-D Secure pages shown during checkout.
  tags: [typescript, react]
  annotations:
    dev.azure.com/project-repo: Payments/payments-web
    dev.azure.com/build-definition: payments-web-ci
    idp.dev/aliases: pay-web,checkout-ui
    idp.dev/tier: tier-2
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Apayments-general%40thread.tacv2/General?groupId=10000000-0000-4000-b000-000000000001&tenantId=c0ffee00-0000-4000-8000-000000000001
    idp.dev/oncall-rotation: payments-primary
    azure.workload.identity/client-id: 3c1d0000-0000-4000-8000-0000000c1a02
  links:
    - url: https://grafana.contoso.example/d/payments-web
      title: Payments web dashboard
    - url: https://logs.contoso.example/app/payments-web
      title: Payments web logs
    - url: https://dev.azure.com/contoso/Payments/_git/payments-web
      title: Repository
spec:
  type: website
  lifecycle: production
  owner: team-payments
  system: payments
  consumesApis: [payments-rest-api]
  dependsOn: [component:payments-api]
`,
  'search-indexer': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-indexer
  title: Search indexer
  description: Keeps the product search index in step with the product catalogue.
  tags: [python]
  annotations:
    dev.azure.com/project-repo: Search/search-indexer
    dev.azure.com/build-definition: search-indexer-ci
    idp.dev/aliases: indexer,product-indexer
    idp.dev/tier: tier-2
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Asearch-general%40thread.tacv2/General?groupId=10000000-0000-4000-b000-000000000002&tenantId=c0ffee00-0000-4000-8000-000000000001
    idp.dev/email: search@contoso.example
    idp.dev/oncall-rotation: search-primary
    idp.dev/oncall-current: Dave Searcher <dave@contoso.example>
    idp.dev/oncall-escalation: Erin Lead <erin@contoso.example>
  links:
    - url: https://grafana.contoso.example/d/search-indexer
      title: Indexer dashboard
    - url: https://logs.contoso.example/app/search-indexer
      title: Indexer logs
    - url: https://runbooks.contoso.example/search/reindex
      title: Full reindex runbook
    - url: https://dev.azure.com/contoso/Search/_git/search-indexer
      title: Repository
spec:
  type: service
  lifecycle: production
  owner: team-search
  system: search
  dependsOn: [resource:search-index, resource:product-events-topic]
`,
  'platform-templates': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: platform-templates
  title: Platform templates
  description: Pipeline and repository templates every new service starts from.
  tags: [yaml, azure-pipelines]
  annotations:
    dev.azure.com/project-repo: Platform/platform-templates
    dev.azure.com/build-definition: platform-templates-ci
    idp.dev/aliases: templates,pipeline-templates
    idp.dev/tier: tier-3
    idp.dev/teams-channel-url: https://teams.microsoft.com/l/channel/19%3Aplatform-general%40thread.tacv2/General?groupId=10000000-0000-4000-b000-000000000003&tenantId=c0ffee00-0000-4000-8000-000000000001
  links:
    - url: https://docs.contoso.example/platform/templates
      title: Template docs
    - url: https://dev.azure.com/contoso/Platform/_git/platform-templates
      title: Repository
spec:
  type: library
  lifecycle: production
  owner: team-platform
  system: idp
`,
};
