/** cards/teams-markdown.ts: text from outside renders as typed in Teams markdown; links only to allowed hosts. */
import { allowedUrl, cut, escapeMarkdown, safeLink } from '../../cards/teams-markdown';

describe('escapeMarkdown', () => {
  it.each([
    ['[click](https://evil.example)', '\\[click\\](https\\://evil.example)'],
    ['see http://evil.example/x', 'see http\\://evil.example/x'],
    ['__Bob__', '\\_\\_Bob\\_\\_'],
    ['1. <b>', '1\\. \\<b\\>'],
    ['2) two', '2\\) two'],
    ['<script>alert(1)</script>', '\\<script\\>alert(1)\\</script\\>'],
    ['- item\n# heading\n---', '\\- item\n\\# heading\n\\---'],
  ])('%j -> %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  it('leaves a version alone: "1.4.2" starts no list', () => {
    expect(escapeMarkdown('1.4.2 · healthy')).toBe('1.4.2 · healthy');
    expect(escapeMarkdown('2026.11')).toBe('2026.11');
  });
});

describe('links', () => {
  const hosts = ['dev.azure.com', 'contoso.example'];
  it('links only http(s) URLs on allowed hosts or their sub-domains', () => {
    expect(allowedUrl('https://dev.azure.com/contoso/_build?buildId=1', hosts)).toBe('https://dev.azure.com/contoso/_build?buildId=1');
    expect(allowedUrl('https://grafana.contoso.example/d/x', hosts)).toBe('https://grafana.contoso.example/d/x');
    expect(allowedUrl('https://evil.example/x', hosts)).toBeUndefined();
    expect(allowedUrl('https://contoso.example.evil.example/', hosts)).toBeUndefined();
    expect(allowedUrl('javascript:alert(1)', hosts)).toBeUndefined();
    expect(allowedUrl('https://user:pw@dev.azure.com/', hosts)).toBeUndefined();
    expect(allowedUrl('https://dev.azure.com/a (b)', hosts)).toBe('https://dev.azure.com/a%20%28b%29');
  });

  it('safeLink shows the title as text when the URL is not allowed', () => {
    expect(safeLink('run', 'https://dev.azure.com/x', hosts)).toBe('[run](https://dev.azure.com/x)');
    expect(safeLink('[run]', 'https://evil.example/x', hosts)).toBe('\\[run\\]');
  });

  it('cut says how much it left out', () => {
    expect(cut('abcdef', 3)).toBe('abc… (3 more characters not shown)');
    expect(cut('abc', 3)).toBe('abc');
  });
});
