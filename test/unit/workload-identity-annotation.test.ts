/** The `azure.workload.identity/client-id` annotation -> CatalogEntity.source.workloadIdentity, and the demo catalog's workloads. */
import fs from 'node:fs';
import path from 'node:path';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';
import { DEMO_WORKLOADS } from '../../src/sandbox/seed/demo-org';
import { REPOSITORY_DESCRIPTORS } from '../../src/sandbox/seed/repository-descriptors';

const component = (name: string, annotations: string) =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  annotations:\n${annotations}spec:\n  type: service\n  lifecycle: production\n  owner: team-payments\n`;

describe('azure.workload.identity/client-id', () => {
  it('becomes source.workloadIdentity.clientId, trimmed and lower-case', async () => {
    const r = await parseDescriptors(component('payments-api', '    azure.workload.identity/client-id: " 3C1D0000-0000-4000-8000-0000000C1A01 "\n'), 'file:/x.yaml');
    expect(r.problems).toEqual([]);
    expect(r.entities[0]?.source.workloadIdentity).toEqual({ clientId: '3c1d0000-0000-4000-8000-0000000c1a01' });
  });

  it('is absent (not undefined) without the annotation or with an empty one', async () => {
    const r = await parseDescriptors(component('a', '    idp.dev/tier: tier-2\n') + '---\n' + component('b', '    azure.workload.identity/client-id: ""\n'), 'file:/x.yaml');
    expect(r.problems).toEqual([]);
    for (const e of r.entities) expect(Object.keys(e.source)).not.toContain('workloadIdentity');
  });

  it('rejects a value that is not a client id, naming the annotation', async () => {
    const r = await parseDescriptors(component('bad', '    azure.workload.identity/client-id: id-payments-api\n'), 'file:/x.yaml');
    expect(r.entities).toEqual([]);
    expect(r.problems).toEqual([{ location: 'file:/x.yaml', entity: 'bad', reason: 'metadata.annotations["azure.workload.identity/client-id"]: expected an application (client) id (a GUID), got "id-payments-api"' }]);
  });

  it('is on the demo Components with a workload, the same in the seed folder and in their repositories', async () => {
    const folder = fs.readFileSync(path.join(__dirname, '../../src/sandbox/seed/catalog/payments.yaml'), 'utf8');
    const fromFolder = (await parseDescriptors(folder, 'file:/payments.yaml')).entities;
    expect(DEMO_WORKLOADS.map((w) => w.service)).toEqual(['payments-api', 'payments-web']);
    for (const w of DEMO_WORKLOADS) {
      const fromRepo = (await parseDescriptors(REPOSITORY_DESCRIPTORS[w.service]!, `azure-devops:Payments/${w.service}`)).entities[0];
      expect(fromFolder.find((e) => e.name === w.service)?.source.workloadIdentity).toEqual({ clientId: w.clientId });
      expect(fromRepo?.source.workloadIdentity).toEqual({ clientId: w.clientId });
    }
    expect(fromFolder.find((e) => e.name === 'checkout-worker')?.source.workloadIdentity).toBeUndefined();
  });
});
