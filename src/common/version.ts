import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read once (works from `src/` and from `dist/src/`). */
export const APP_VERSION: string = readVersion();

function readVersion(): string {
  for (const candidate of [join(__dirname, '..', '..', 'package.json'), join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tessera' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return '0.0.0';
}
