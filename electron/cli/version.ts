// The app's version, read once from package.json so the CLI, the API and run folders agree.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function appVersion(): string {
  if (cached === undefined) {
    const url = new URL('../../package.json', import.meta.url);
    const parsed: unknown = JSON.parse(readFileSync(fileURLToPath(url), 'utf8'));
    cached =
      typeof parsed === 'object' &&
      parsed !== null &&
      'version' in parsed &&
      typeof parsed.version === 'string'
        ? parsed.version
        : '0.0.0';
  }
  return cached;
}
