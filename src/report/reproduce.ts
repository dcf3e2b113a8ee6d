/**
 * The "Reproduce" line of a run: the command as typed, with the environment variables that
 * change what the run tests (a DPE_VARIANT reference server gives another result without it).
 */

/** Variables that change what a suite run tests (src/harness/suite-config.ts), in the order the line names them. */
export const RUN_ENV = ['DPE_VARIANT', 'DPE_TARGET', 'DPE_ICS', 'DPE_IXIT', 'DPE_POLICY'] as const;

/** A word as a POSIX shell reads it back. */
export function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** `NAME=value … program args…`, every part quoted for the shell; unset or empty variables are left out. */
export function reproduceLine(program: string[], args: string[], env: Partial<Record<string, string | undefined>> = {}): string {
  const vars = Object.entries(env)
    .filter((kv): kv is [string, string] => typeof kv[1] === 'string' && kv[1] !== '')
    .map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [...vars, ...program, ...args.map(shellQuote)].join(' ');
}
