/**
 * Draws the two Teams app icons (a ">_" prompt) and writes them next to this file:
 *   color.png   192x192, white glyph on the accent colour (full bleed, as Teams asks)
 *   outline.png 32x32, white glyph on transparent (Teams rejects any other colour)
 * Run once with `npx tsx manifest/generate-icons.ts`; the PNGs are committed. No dependencies:
 * the PNG encoder is node:zlib plus a CRC table.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

export const ACCENT_COLOR = '#4F52B2';

type Rgba = [number, number, number, number];
type Segment = [number, number, number, number];

// The glyph in unit coordinates: a chevron and an underscore.
const GLYPH: Segment[] = [
  [0.24, 0.3, 0.46, 0.5],
  [0.46, 0.5, 0.24, 0.7],
  [0.54, 0.7, 0.78, 0.7],
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes RGBA pixels (row-major) as an 8-bit RGBA PNG. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit depth, RGBA, deflate, no filter method, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function distanceToSegment(px: number, py: number, [ax, ay, bx, by]: Segment): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Share of a pixel covered by the glyph, 4x4 supersampled for smooth edges. */
function coverage(x: number, y: number, size: number, stroke: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      const u = (x + (sx + 0.5) / 4) / size;
      const v = (y + (sy + 0.5) / 4) / size;
      if (GLYPH.some((s) => distanceToSegment(u, v, s) <= stroke / 2)) hits++;
    }
  }
  return hits / 16;
}

const hex = (color: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16)) as [number, number, number];

export function colorIcon(): Buffer {
  const [r, g, b] = hex(ACCENT_COLOR);
  return encodePng(192, 192, (x, y) => {
    const a = coverage(x, y, 192, 0.09);
    const mix = (c: number) => Math.round(c + (255 - c) * a);
    return [mix(r), mix(g), mix(b), 255];
  });
}

export function outlineIcon(): Buffer {
  return encodePng(32, 32, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, 32, 0.12))]);
}

if (require.main === module) {
  writeFileSync(path.join(__dirname, 'color.png'), colorIcon());
  writeFileSync(path.join(__dirname, 'outline.png'), outlineIcon());
  console.log('wrote manifest/color.png (192x192) and manifest/outline.png (32x32)');
}
