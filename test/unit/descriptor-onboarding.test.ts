/**
 * A catalog Group's onboarding annotations (team lead, channels, directory groups, Azure DevOps
 * project groups) become `onboarding` on the entity; a malformed value names the annotation; no
 * other kind ever gets onboarding settings.
 */
import type { Entity } from '@backstage/catalog-model';
import { DescriptorFieldError } from '../../src/domain/catalog/descriptor-annotations';
import { toCatalogEntity } from '../../src/domain/catalog/descriptor-mapper';
import { parseDescriptors } from '../../src/domain/catalog/descriptor-parser';

const LOC = 'file:/repo/catalog-info.yaml';
const OPTIONS = { location: LOC, sourceHash: 'h' };

const group = (annotations: Record<string, string>, namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team-payments', ...(namespace ? { namespace } : {}), annotations },
  spec: { type: 'team', children: [], profile: { displayName: 'Payments' } },
});

const ALL = {
  'idp.dev/team-lead': 'alice',
  'idp.dev/onboarding-channels': ' On-call ,Checkout partners,, General ',
  'idp.dev/onboarding-groups': 'Developers, PCI Cardholder Data ,Developers',
  'dev.azure.com/project-groups': 'Payments/Contributors, Platform/readers,Payments/Project Administrators, Ops/Stakeholders, Ops/Administrators',
};

describe('Group onboarding annotations', () => {
  it('map to onboarding: the lead as a User ref, lists trimmed and deduplicated, project groups by their API names', () => {
    expect(toCatalogEntity(group(ALL), OPTIONS).onboarding).toEqual({
      lead: 'user:default/alice',
      channels: ['On-call', 'Checkout partners', 'General'],
      groups: ['Developers', 'PCI Cardholder Data'],
      devopsGroups: [
        { project: 'Payments', group: 'projectContributor' },
        { project: 'Platform', group: 'projectReader' },
        { project: 'Payments', group: 'projectAdministrator' },
        { project: 'Ops', group: 'projectStakeholder' },
        { project: 'Ops', group: 'projectAdministrator' },
      ],
    });
  });

  it.each([
    ['a bare name takes the Group namespace', 'alice', 'people', 'user:people/alice'],
    ['a full ref is kept (lower-cased)', 'user:default/Alice', 'people', 'user:default/alice'],
    ['a namespaced name', 'hr/alice', undefined, 'user:hr/alice'],
    ['spaces around it', '  alice  ', undefined, 'user:default/alice'],
  ])('team lead: %s', (_case, lead, namespace, ref) => {
    expect(toCatalogEntity(group({ 'idp.dev/team-lead': lead }, namespace), OPTIONS).onboarding).toEqual({ lead: ref, channels: [], groups: [], devopsGroups: [] });
  });

  it.each([
    ['only channels', { 'idp.dev/onboarding-channels': 'On-call' }, { channels: ['On-call'], groups: [], devopsGroups: [] }],
    ['only groups', { 'idp.dev/onboarding-groups': 'Developers' }, { channels: [], groups: ['Developers'], devopsGroups: [] }],
    ['only project groups', { 'dev.azure.com/project-groups': 'Payments/Contributors' }, { channels: [], groups: [], devopsGroups: [{ project: 'Payments', group: 'projectContributor' }] }],
  ])('one annotation is enough: %s', (_case, annotations, onboarding) => {
    expect(toCatalogEntity(group(annotations), OPTIONS).onboarding).toEqual(onboarding);
  });

  it.each([
    ['no annotations', {}],
    ['only other annotations', { 'idp.dev/email': 'payments@contoso.example' }],
    ['empty and blank values', { 'idp.dev/team-lead': '  ', 'idp.dev/onboarding-channels': ' , ', 'idp.dev/onboarding-groups': '', 'dev.azure.com/project-groups': '' }],
  ])('a Group with %s has no onboarding', (_case, annotations) => {
    expect(toCatalogEntity(group(annotations), OPTIONS)).not.toHaveProperty('onboarding');
  });

  it.each([
    ['no group', 'Payments', 'Payments'],
    ['an unknown group', 'Payments/Owners', 'Payments/Owners'],
    ['too many parts', 'Payments/Team/Contributors', 'Payments/Team/Contributors'],
    ['a bad item among good ones', 'Payments/Contributors, Readers', 'Readers'],
  ])('a project group with %s is refused naming the annotation', (_case, value, item) => {
    const error = (() => {
      try {
        toCatalogEntity(group({ 'dev.azure.com/project-groups': value }), OPTIONS);
      } catch (e) {
        return e;
      }
      throw new Error('expected a DescriptorFieldError');
    })();
    expect(error).toBeInstanceOf(DescriptorFieldError);
    expect((error as DescriptorFieldError).field).toBe('metadata.annotations["dev.azure.com/project-groups"]');
    expect((error as Error).message).toBe(`metadata.annotations["dev.azure.com/project-groups"]: expected "Project/Contributors" (Readers, Contributors, Project Administrators or Stakeholders), got "${item}"`);
  });

  it.each([
    ['no entity ref', 'user:', 'Entity reference "user:" was not on the form [<kind>:][<namespace>/]<name>'],
    ['a Group, not a person', 'group:default/team-leads', 'expected a User (a name or user:<namespace>/<name>), got "group:default/team-leads"'],
  ])('a lead that is %s is refused naming the annotation', (_case, lead, reason) => {
    const run = () => toCatalogEntity(group({ 'idp.dev/team-lead': lead }), OPTIONS);
    expect(run).toThrow(DescriptorFieldError);
    expect(run).toThrow(`metadata.annotations["idp.dev/team-lead"]: ${reason}`);
  });

  it('a Component with the same annotations never has onboarding', () => {
    const component: Entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'payments-api', annotations: ALL }, spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' } };
    expect(toCatalogEntity(component, OPTIONS)).not.toHaveProperty('onboarding');
  });

  it('through the parser: the Group is kept with onboarding, a bad project group is a problem naming the annotation', async () => {
    const yaml = (groups: string) => `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-payments
  annotations:
    idp.dev/team-lead: alice
    dev.azure.com/project-groups: ${groups}
spec:
  type: team
  children: []
`;
    const good = await parseDescriptors(yaml('Payments/Contributors'), LOC);
    expect(good.problems).toEqual([]);
    expect(good.entities.map((e) => [e.ref, e.onboarding])).toEqual([['group:default/team-payments', { lead: 'user:default/alice', channels: [], groups: [], devopsGroups: [{ project: 'Payments', group: 'projectContributor' }] }]]);
    const bad = await parseDescriptors(yaml('Payments/Everyone'), LOC);
    expect(bad.entities).toEqual([]);
    expect(bad.problems).toEqual([{ location: LOC, entity: 'team-payments', reason: 'metadata.annotations["dev.azure.com/project-groups"]: expected "Project/Contributors" (Readers, Contributors, Project Administrators or Stakeholders), got "Payments/Everyone"' }]);
  });
});
