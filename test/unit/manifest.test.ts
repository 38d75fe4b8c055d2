import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { loadConfig } from '../../src/config';
import commands from '../../manifest/commands.json';
import {
  buildManifestPackage,
  manifestOptionsFromConfig,
  pngSize,
  readDefaultIcons,
  SANDBOX_TEAMS_APP_ID,
  type ManifestPackageOptions,
} from '../../manifest/manifest-package';

// @microsoft/app-manifest requires strip-bom 5, which is ESM only: Node 20.19+ loads it, Jest's
// CommonJS runtime cannot. The validator path never calls it (it strips a BOM when reading files).
// A jest.config moduleNameMapper entry would fix this for every test; until then, a stand-in here.
const APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const BOT_ID = '9a8b7c6d-0000-4000-8000-000000000abc';
const options: ManifestPackageOptions = { appId: APP_ID, botId: BOT_ID, publicUrl: 'https://idp-bot.contoso.example/' };

/** RGBA pixels of an 8-bit RGBA, unfiltered, non-interlaced PNG (what generate-icons writes). */
function pixels(png: Buffer): number[][] {
  const { width, height } = pngSize(png)!;
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const out: number[][] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0); // filter "none" on every row
    for (let x = 0; x < width; x++) out.push([...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)]);
  }
  return out;
}

describe('Teams app package', () => {
  it('builds a schema-valid package with the ids, domain and every command', async () => {
    const result = await buildManifestPackage(options);

    expect(result.errors).toEqual([]);
    const m = result.manifest as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(m.manifestVersion).toBe('1.19');
    expect(m.id).toBe(APP_ID);
    expect(m.bots[0].botId).toBe(BOT_ID);
    expect(m.bots[0].scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(m.composeExtensions[0]).toMatchObject({ botId: BOT_ID, commands: [{ id: 'searchServices', type: 'query', parameters: [{ name: 'query' }] }] });
    expect(m.composeExtensions[0].messageHandlers[0].value.domains).toContain('dev.azure.com');
    expect(m.validDomains).toContain('idp-bot.contoso.example');
    expect(m.developer.privacyUrl).toBe('https://idp-bot.contoso.example/privacy');
    for (const list of m.bots[0].commandLists) {
      expect(list.commands.map((c: { title: string }) => c.title)).toEqual(commands.map((c) => c.title));
    }
    expect(JSON.stringify(m)).not.toMatch(/\{\{/);
  });

  it('zips manifest.json and both icons at the sizes Teams requires', async () => {
    const { zip } = await buildManifestPackage(options);
    const archive = await JSZip.loadAsync(zip!);

    expect(Object.keys(archive.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(await archive.file('manifest.json')!.async('string')).id).toBe(APP_ID);
    expect(pngSize(await archive.file('color.png')!.async('nodebuffer'))).toEqual({ width: 192, height: 192 });
    expect(pngSize(await archive.file('outline.png')!.async('nodebuffer'))).toEqual({ width: 32, height: 32 });
  });

  it('ships an outline icon that is white on transparent only', () => {
    const outline = pixels(readDefaultIcons().outline);
    expect(outline.filter(([r, g, b, a]) => a > 0 && (r !== 255 || g !== 255 || b !== 255))).toEqual([]);
    expect(outline.some(([, , , a]) => a === 255)).toBe(true);
    expect(outline.some(([, , , a]) => a === 0)).toBe(true);
  });

  it('reports every schema error of an invalid manifest and builds no zip', async () => {
    const result = await buildManifestPackage({ ...options, appId: 'not-a-guid', botId: 'also-bad' });

    expect(result.zip).toBeUndefined();
    expect(result.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/id must match pattern/), expect.stringMatching(/^\/bots\/0\/botId must match pattern/)]),
    );
  });

  it('reports a command the schema refuses and an icon of the wrong size', async () => {
    const longTitle = { title: 'x'.repeat(40), description: 'too long a title', scopes: ['personal' as const] };
    const icons = readDefaultIcons();
    const result = await buildManifestPackage({ ...options, commands: [...(commands as ManifestPackageOptions['commands'])!, longTitle], icons: { color: icons.outline, outline: icons.outline } });

    expect(result.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/commandLists\/0\/commands\/6\/title must NOT have more than 32 characters/), 'color.png is 32x32, Teams needs 192x192']),
    );
  });

  it('reports a manifest version with no offline schema instead of fetching one', async () => {
    const result = await buildManifestPackage({ ...options, template: { manifestVersion: '9.99' } });
    expect(result.errors).toEqual([expect.stringMatching(/ships no offline schema/)]);
  });

  it('takes ids from configuration, with a fixed demo id in the sandbox', () => {
    expect(manifestOptionsFromConfig(loadConfig({ BOT_MODE: 'sandbox' }))).toMatchObject({ appId: SANDBOX_TEAMS_APP_ID, botId: SANDBOX_TEAMS_APP_ID });
    const env = { BOT_MODE: 'test', MicrosoftAppId: BOT_ID, PUBLIC_URL: 'https://bot.contoso.example' } as const;
    expect(manifestOptionsFromConfig(loadConfig(env))).toEqual({ appId: BOT_ID, botId: BOT_ID, publicUrl: 'https://bot.contoso.example', unfurlDomains: [] });
    expect(manifestOptionsFromConfig(loadConfig({ ...env, TEAMS_APP_ID: APP_ID }))).toMatchObject({ appId: APP_ID, botId: BOT_ID });
  });
});

describe('link unfurling domains', () => {
  test('configured dashboard domains are added to the message handler, and the manifest stays valid', async () => {
    const { buildManifestPackage } = await import('../../manifest/manifest-package');
    const result = await buildManifestPackage({
      appId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
      botId: '9a8b7c6d-0000-4000-8000-000000000abc',
      publicUrl: 'https://idp-bot.contoso.example/',
      unfurlDomains: ['grafana.contoso.example', '*.logs.contoso.example'],
    });
    expect(result.errors).toEqual([]);
    const handlers = (result.manifest.composeExtensions as { messageHandlers: { value: { domains: string[] } }[] }[])[0].messageHandlers;
    expect(handlers[0].value.domains).toEqual(expect.arrayContaining(['dev.azure.com', 'grafana.contoso.example', '*.logs.contoso.example']));
  });
});
