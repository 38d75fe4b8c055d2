/**
 * The documents of a multi-document YAML text, each as a value or a syntax error. js-yaml reads a
 * well-formed text about 15x faster than the `yaml` package (100k descriptors: ~3 s instead of
 * ~100 s on the build machines); when it refuses the text (it stops at the first error), the
 * `yaml` package reads it again document by document, so one broken document is reported with its
 * line and column and the others are kept. Both use the YAML 1.2 core schema (no timestamps, no
 * merge keys), so they read the same data from the same text.
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { Composer, LineCounter, Parser } from 'yaml';

export type YamlDocument = { value: unknown } | { error: string; value?: unknown };

export function yamlDocuments(text: string): YamlDocument[] {
  try {
    return loadAll(text, null, { schema: CORE_SCHEMA }).map((value) => ({ value }));
  } catch {
    return slowDocuments(text);
  }
}

/** What parseAllDocuments does, keeping each document's first error with its position. */
function slowDocuments(text: string): YamlDocument[] {
  const lines = new LineCounter();
  const out: YamlDocument[] = [];
  for (const doc of new Composer({ logLevel: 'error' }).compose(new Parser(lines.addNewLine).parse(text))) {
    const value = safeToJs(doc);
    const error = doc.errors[0];
    if (!error) {
      out.push({ value });
      continue;
    }
    const { line, col } = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    out.push({ error: `${message} at line ${line}, column ${col}`, value });
  }
  return out;
}

function safeToJs(doc: { toJS(): unknown }): unknown {
  try {
    return doc.toJS();
  } catch {
    return undefined;
  }
}
