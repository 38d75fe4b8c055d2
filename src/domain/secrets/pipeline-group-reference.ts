/**
 * azure-pipelines.yml edited so one deployment stage reads one more variable group
 * (`- group: vg-<service>-<env>-secrets`), with the `yaml` Document API: comments, order and
 * layout survive, only the new item is written (double-quoted, as the golden pipeline writes its
 * groups). Nothing changes when the stage or the whole pipeline reads the group already. A file
 * we cannot edit safely (missing, unreadable, no such stage, `variables` as a name/value map that
 * cannot hold groups, templates that decide the stages) is refused with the reason in words, never
 * overwritten: the caller tells a person what to add.
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq, type Document } from 'yaml';

export const PIPELINE_FILE = 'azure-pipelines.yml';

export type GroupReferenceEdit = { change: 'added'; text: string } | { change: 'unchanged' } | { change: 'refused'; reason: string };

const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
const scalarOf = (node: unknown): unknown => (isScalar(node) ? node.value : node);

/** True when a `variables:` list (sequence form) names the group. */
function listsGroup(variables: unknown, group: string): boolean {
  return isSeq(variables) && variables.items.some((item) => isMap(item) && same(scalarOf(item.get('group', true)), group));
}

/** Adds `- group: <group>` to the `variables` of the stage named `stage`. */
export function addGroupToStage(text: string | null, stage: string, group: string): GroupReferenceEdit {
  if (text === null) return { change: 'refused', reason: `the repository has no ${PIPELINE_FILE}` };
  let doc: Document;
  try {
    doc = parseDocument(text);
  } catch {
    return { change: 'refused', reason: `${PIPELINE_FILE} is not readable YAML` };
  }
  if (doc.errors.length || !isMap(doc.contents)) return { change: 'refused', reason: `${PIPELINE_FILE} is not readable YAML (or not a pipeline)` };
  const root = doc.contents;
  if (listsGroup(root.get('variables', true), group)) return { change: 'unchanged' };
  const stages = root.get('stages', true);
  if (!isSeq(stages)) return { change: 'refused', reason: `${PIPELINE_FILE} has no list of stages (a template may define them)` };
  const target = stages.items.find((s): s is YAMLMap => isMap(s) && same(scalarOf(s.get('stage', true)), stage));
  if (!target) return { change: 'refused', reason: `${PIPELINE_FILE} has no stage ${stage}` };
  const variables = target.get('variables', true);
  if (listsGroup(variables, group)) return { change: 'unchanged' };
  const item = new YAMLMap();
  const name = new Scalar(group);
  name.type = Scalar.QUOTE_DOUBLE;
  item.set('group', name);
  if (variables === undefined || variables === null || (isScalar(variables) && variables.value === null)) {
    const seq = new YAMLSeq();
    seq.items.push(item);
    target.set('variables', seq);
  } else if (isSeq(variables)) {
    variables.items.push(item);
  } else {
    // The map form (`variables: { name: value }`) cannot name a group; rewriting it into a list is a person's choice.
    return { change: 'refused', reason: `the stage ${stage} lists its variables as a name: value map, which cannot name a variable group` };
  }
  return { change: 'added', text: doc.toString({ lineWidth: 0 }) };
}

/** What to add by hand when the file cannot be edited. */
export const groupSnippet = (group: string): string => `variables:\n  - group: "${group}"\n`;
