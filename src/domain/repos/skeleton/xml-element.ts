/** A tiny XML writer for pom.xml: element names are ours, every text value is escaped. */
import { xmlText } from './text-escaping';

export interface XmlElement {
  tag: string;
  attributes?: Record<string, string>;
  /** Text (escaped) or child elements; absent: an empty element. */
  content?: string | XmlElement[];
}

export const el = (tag: string, content?: string | XmlElement[], attributes?: Record<string, string>): XmlElement => ({
  tag,
  ...(content !== undefined ? { content } : {}),
  ...(attributes ? { attributes } : {}),
});

export function renderXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, '')}\n`;
}

function render(node: XmlElement, indent: string): string {
  const attrs = Object.entries(node.attributes ?? {})
    .map(([k, v]) => ` ${k}="${xmlText(v)}"`)
    .join('');
  if (node.content === undefined) return `${indent}<${node.tag}${attrs}/>`;
  if (typeof node.content === 'string') return `${indent}<${node.tag}${attrs}>${xmlText(node.content)}</${node.tag}>`;
  const children = node.content.map((c) => render(c, `${indent}  `)).join('\n');
  return `${indent}<${node.tag}${attrs}>\n${children}\n${indent}</${node.tag}>`;
}
