import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Asset {
  body: Buffer;
  contentType: string;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' };

/** The embed page's static files, read once at start (they ship in `assets/`, copied by `nest build`). */
export function loadAssets(names: string[]): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of names) {
    const extension = name.slice(name.lastIndexOf('.'));
    assets.set(name, { body: readFileSync(join(__dirname, 'assets', name)), contentType: TYPES[extension] });
  }
  return assets;
}
