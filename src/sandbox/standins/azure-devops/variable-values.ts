/** How the stand-in keeps a secret variable's value: its digest only, so no state dump, file or log can hold it. */
import { createHash } from 'node:crypto';

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
