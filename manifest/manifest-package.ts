/**
 * Builds the Teams app package: fills manifest.template.json (ids, URLs, the bot command lists
 * from commands.json), validates it offline against the official JSON schema shipped in
 * @microsoft/app-manifest, checks the icons, and zips manifest.json + color.png + outline.png.
 * Pure apart from reading the package's own files: build-manifest.ts is the CLI around it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import type { Config } from '../src/config';
import packageJson from '../package.json';
import defaultCommands from './commands.json';
import defaultTemplate from './manifest.template.json';
import { ACCENT_COLOR } from './generate-icons';

/** The Teams app and bot id when the sandbox has no Entra app: fixed so a sideloaded app keeps its id. */
export const SANDBOX_TEAMS_APP_ID = '1db0b070-5a4d-4b0c-8000-000000000001';
const SANDBOX_PUBLIC_URL = 'https://localhost';

export type CommandScope = 'personal' | 'team' | 'groupChat';

/** One row of commands.json: what Teams suggests when a user types in the compose box. */
export interface BotCommand {
  title: string;
  description: string;
  scopes: CommandScope[];
}

export interface ManifestPackageOptions {
  /** Teams app id (GUID). */
  appId: string;
  /** Entra app id of the bot (GUID), used by the bot and the message extension. */
  botId: string;
  /** Public https base URL of the bot; its host goes into validDomains. */
  publicUrl: string;
  version?: string;
  template?: object;
  commands?: BotCommand[];
  icons?: { color: Buffer; outline: Buffer };
  /** Extra link-unfurling domains (dashboards, logs, runbooks of the catalog's services). */
  unfurlDomains?: string[];
}

export interface ManifestPackage {
  manifest: Record<string, unknown>;
  /** Schema and package errors; empty when the package is valid. */
  errors: string[];
  /** The zip, only when there are no errors. */
  zip?: Buffer;
}

const ICON_SIZES = { color: 192, outline: 32 } as const;
const SCOPES: CommandScope[] = ['personal', 'team', 'groupChat'];

export function readDefaultIcons(): { color: Buffer; outline: Buffer } {
  return { color: readFileSync(path.join(__dirname, 'color.png')), outline: readFileSync(path.join(__dirname, 'outline.png')) };
}

/** Width and height from a PNG's IHDR chunk; undefined when it is not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature || png.toString('ascii', 12, 16) !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** One command list per scope (Teams shows a scope's list in that scope). */
export function commandLists(commands: BotCommand[]): { scopes: CommandScope[]; commands: { title: string; description: string }[] }[] {
  return SCOPES.map((scope) => ({
    scopes: [scope],
    commands: commands.filter((c) => c.scopes.includes(scope)).map(({ title, description }) => ({ title, description })),
  })).filter((list) => list.commands.length > 0);
}

function fillPlaceholders(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  }
  return value;
}

export function fillManifest(options: ManifestPackageOptions): Record<string, unknown> {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const values: Record<string, string> = {
    TEAMS_APP_ID: options.appId,
    BOT_ID: options.botId,
    PUBLIC_URL: publicUrl,
    PUBLIC_HOST: new URL(publicUrl).host,
    VERSION: options.version ?? packageJson.version,
    ACCENT_COLOR,
  };
  const manifest = fillPlaceholders(structuredClone(options.template ?? defaultTemplate), values) as Record<string, unknown>;
  const bots = manifest.bots as { commandLists?: unknown }[] | undefined;
  if (bots?.[0]) bots[0].commandLists = commandLists(options.commands ?? (defaultCommands as BotCommand[]));
  const handlers = (manifest.composeExtensions as { messageHandlers?: { value: { domains: string[] } }[] }[] | undefined)?.[0]?.messageHandlers;
  if (handlers?.[0] && options.unfurlDomains?.length) handlers[0].value.domains = [...new Set([...handlers[0].value.domains, ...options.unfurlDomains])];
  return manifest;
}

/** Validates against the schema version the manifest names, from the package's local copy only. */
export async function validateManifest(manifest: Record<string, unknown>): Promise<string[]> {
  const version = String(manifest.manifestVersion ?? '');
  const schemaFile = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), 'json-schemas', 'teams', `v${version}`, 'MicrosoftTeams.schema.json');
  if (!existsSync(schemaFile)) return [`manifestVersion "${version}": @microsoft/app-manifest ships no offline schema for it`];
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
  const errors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
  const unfilled = JSON.stringify(manifest).match(/\{\{\w+\}\}/g) ?? [];
  return [...errors, ...[...new Set(unfilled)].map((p) => `placeholder ${p} was not filled`)];
}

function iconErrors(icons: { color: Buffer; outline: Buffer }): string[] {
  return (Object.keys(ICON_SIZES) as (keyof typeof ICON_SIZES)[]).flatMap((name) => {
    const size = pngSize(icons[name]);
    const want = ICON_SIZES[name];
    if (!size) return [`${name}.png is not a PNG`];
    return size.width === want && size.height === want ? [] : [`${name}.png is ${size.width}x${size.height}, Teams needs ${want}x${want}`];
  });
}

export async function buildManifestPackage(options: ManifestPackageOptions): Promise<ManifestPackage> {
  const manifest = fillManifest(options);
  const icons = options.icons ?? readDefaultIcons();
  const errors = [...(await validateManifest(manifest)), ...iconErrors(icons)];
  if (errors.length) return { manifest, errors };

  // A fixed date keeps the zip byte-identical for the same inputs.
  const date = new Date('2024-01-01T00:00:00Z');
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2), { date });
  zip.file('color.png', icons.color, { date });
  zip.file('outline.png', icons.outline, { date });
  return { manifest, errors, zip: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }) };
}

/** Ids and URL from configuration; the sandbox (no Entra app) gets a fixed demo id. */
export function manifestOptionsFromConfig(config: Config): ManifestPackageOptions {
  const botId = config.MicrosoftAppId ?? SANDBOX_TEAMS_APP_ID;
  const appId = config.TEAMS_APP_ID ?? config.MicrosoftAppId ?? SANDBOX_TEAMS_APP_ID;
  if (config.mode === 'production' && !config.PUBLIC_URL) throw new Error('PUBLIC_URL is required to build the production manifest');
  return { appId, botId, publicUrl: config.PUBLIC_URL ?? SANDBOX_PUBLIC_URL, unfurlDomains: config.UNFURL_DOMAINS };
}
