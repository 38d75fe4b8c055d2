/**
 * A small reader of Bicep files for the offline checks (the compiler cannot be installed on the
 * build machines): each `param` with its type, default and decorators, each `output`, each
 * `resource` type and API version, each `module` with its path and the parameter names it passes.
 */
import { readFileSync } from 'node:fs';

export interface BicepParam { name: string; type: string; hasDefault: boolean; decorators: string[] }
export interface BicepModule { name: string; path: string; passed: string[] }
export interface BicepFile { params: BicepParam[]; outputs: { name: string; type: string }[]; resources: { name: string; type: string; apiVersion: string; existing: boolean }[]; modules: BicepModule[]; text: string }

export function readBicep(file: string): BicepFile {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const params: BicepParam[] = [];
  let decorators: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t.startsWith('@')) decorators.push(t);
    const m = /^param\s+(\w+)\s+(\w+)(\s*=)?/.exec(t);
    if (m) params.push({ name: m[1]!, type: m[2]!, hasDefault: Boolean(m[3]), decorators });
    if (!t.startsWith('@') && t !== '') decorators = [];
  }
  const outputs = [...text.matchAll(/^output\s+(\w+)\s+(\w+)/gm)].map((m) => ({ name: m[1]!, type: m[2]! }));
  const resources = [...text.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing)?/gm)].map((m) => ({ name: m[1]!, type: m[2]!, apiVersion: m[3]!, existing: Boolean(m[4]) }));
  const modules = [...text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)].map((m) => ({ name: m[1]!, path: m[2]!, passed: paramsBlockKeys(text, m.index! + m[0].length) }));
  return { params, outputs, resources, modules, text };
}

/** The keys of the first `params: { ... }` block after `from`, at its own nesting level. */
function paramsBlockKeys(text: string, from: number): string[] {
  const start = text.indexOf('params: {', from);
  if (start < 0) return [];
  let depth = 0;
  const keys: string[] = [];
  let lineStart = true;
  for (let i = start + 'params: '.length; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) break;
    } else if (c === '\n') lineStart = true;
    else if (lineStart && depth === 1 && /\w/.test(c!)) {
      const m = /^(\w+)\s*:/.exec(text.slice(i));
      if (m) keys.push(m[1]!);
      lineStart = false;
    } else if (!/\s/.test(c!)) lineStart = false;
  }
  return keys;
}
