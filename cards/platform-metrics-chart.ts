/**
 * The trend as a small PNG drawn here, pixel by pixel (pngjs, pure JavaScript: no browser, no
 * native binary, no external chart service): one bar per week, scaled to the busiest week, on a
 * transparent background so it reads on Teams' light and dark themes. A week with no request
 * shows a short grey tick, so "nothing" looks different from "not drawn".
 */
import { PNG } from 'pngjs';

export interface BarChartOptions {
  width?: number;
  height?: number;
}

const BAR: [number, number, number] = [0x62, 0x64, 0xa7]; // Teams' accent purple
const TICK: [number, number, number] = [0x9e, 0x9e, 0x9e];

/** The PNG bytes of a bar chart of `values` (oldest first). */
export function barChartPng(values: readonly number[], options: BarChartOptions = {}): Buffer {
  const width = options.width ?? 320;
  const height = options.height ?? 80;
  const png = new PNG({ width, height, colorType: 6 });
  png.data.fill(0);
  const put = (x: number, y: number, [r, g, b]: [number, number, number]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 4;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  const baseline = height - 2;
  for (let x = 0; x < width; x++) put(x, baseline + 1, TICK);
  const n = Math.max(values.length, 1);
  const slot = width / n;
  const gap = Math.max(1, Math.round(slot * 0.2));
  const max = Math.max(...values, 0);
  values.forEach((v, i) => {
    const left = Math.round(i * slot) + gap;
    const right = Math.round((i + 1) * slot) - gap;
    const barHeight = max === 0 || v <= 0 ? 0 : Math.max(2, Math.round((v / max) * (baseline - 2)));
    for (let x = left; x < Math.max(right, left + 1); x++) {
      if (barHeight === 0) for (let y = baseline - 2; y <= baseline; y++) put(x, y, TICK);
      else for (let y = baseline - barHeight + 1; y <= baseline; y++) put(x, y, BAR);
    }
  });
  return PNG.sync.write(png, { colorType: 6 });
}

/** As a data URI an Adaptive Card Image can show (Teams accepts `data:image/png;base64,...`). */
export const pngDataUri = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;
