/**
 * Parsing of the run command's option values; each failure is a commander
 * InvalidArgumentError, so it is reported as an option error (exit 2).
 */
import { InvalidArgumentError } from 'commander';

export function parseUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InvalidArgumentError('expected the base URL of a DPE Server, e.g. http://127.0.0.1:7700');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new InvalidArgumentError('the binding is HTTP: use an http:// or https:// URL');
  // a base path (http://host/dpe/) is kept: every request goes to <base>/dpe-1, <base>/dpe-2, <base>/provisioning/...
  if (u.search || u.hash)
    throw new InvalidArgumentError(
      'a base URL has no query or fragment: give scheme, host, port and an optional base path, e.g. http://host:7700/dpe/',
    );
  if (u.username || u.password)
    throw new InvalidArgumentError('credentials in the URL would be written into the reports: give the base URL without user:password@');
  return v;
}

export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new InvalidArgumentError('expected a number of worker processes from 0 to 64');
  return n;
}

/** A run id names a folder under the reports folder: no separators, no "..". */
export function parseRunId(v: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(v)) {
    throw new InvalidArgumentError('letters, digits, ".", "_" and "-" only, starting with a letter or digit');
  }
  return v;
}

export function parseImage(v: string): string {
  if (!/^[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/.test(v)) {
    throw new InvalidArgumentError('expected a local image as name[:tag], e.g. dpe-reference:local');
  }
  return v;
}

export const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Default run id: the UTC start time to the millisecond, sortable and safe as a folder name. */
export function defaultRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('.', '-'); // 20261125T184512-123Z
}
