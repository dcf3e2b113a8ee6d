/**
 * Paths given on the command line are checked with fs.statSync before anything opens them:
 * opening a FIFO or a character device blocks (or never ends), and /proc or /sys files
 * pretend to be empty regular files. Each problem is a UsageError naming the option.
 */
import type { Stats } from 'node:fs';
import { accessSync, constants, statSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error';

/** An ICS or IXIT is a small JSON file; anything larger is not one. */
const MAX_CONFIG_BYTES = 1 << 20;

/** statfs magic numbers of pseudo file systems (linux/magic.h): nothing there is a config file or a reports folder. */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x1cd1, 'devpts'],
]);

function pseudoFs(path: string): string | undefined {
  try {
    return PSEUDO_FS.get(Number(statfsSync(path).type));
  } catch {
    return undefined;
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** A JSON file given as `flag` (--ics, --ixit): a readable regular file of a sensible size. */
export function checkConfigFile(flag: string, file: string, example: string): void {
  const fix = `give ${flag} the path of a JSON file, e.g. ${flag} ${example}`;
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const code = errCode(e);
    throw new UsageError(`${flag} ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`, fix);
  }
  if (st.isDirectory()) throw new UsageError(`${flag} ${file} is a directory, not a JSON file`, fix);
  if (!st.isFile()) throw new UsageError(`${flag} ${file} is ${kindOf(st)}: reading it could block for ever, so it is not opened`, fix);
  const fs = pseudoFs(file);
  if (fs) throw new UsageError(`${flag} ${file} is on the ${fs} pseudo file system, not a JSON file`, fix);
  if (st.size === 0) throw new UsageError(`${flag} ${file} is empty`, `${fix} (start from ${example})`);
  if (st.size > MAX_CONFIG_BYTES) throw new UsageError(`${flag} ${file} is ${st.size} bytes: an ICS or IXIT is a small JSON file`, fix);
  try {
    accessSync(file, constants.R_OK);
  } catch (e) {
    throw new UsageError(`${flag} ${file} cannot be read (${errCode(e)})`, `make it readable (chmod a+r ${file}), or ${fix}`);
  }
}

/**
 * The reports folder: a directory (or a path whose nearest existing ancestor is one) that can
 * be written, on a real file system. Nothing is created here: a mistake must leave no trace.
 */
export function checkReportsDir(dir: string, flag = '--reports-dir'): void {
  const fix = `give ${flag} a folder you can write, e.g. ${flag} ./reports`;
  const target = resolve(dir);
  let d = target;
  let st: Stats | undefined;
  for (;;) {
    try {
      st = statSync(d);
      break;
    } catch (e) {
      if (!['ENOENT', 'ENOTDIR'].includes(errCode(e)) || dirname(d) === d)
        throw new UsageError(`${flag} ${dir}: ${d} cannot be examined (${errCode(e)})`, fix);
      d = dirname(d);
    }
  }
  if (!st.isDirectory()) {
    const what =
      d === target
        ? `${flag} ${dir} is ${st.isFile() ? 'a file' : kindOf(st)}, not a folder`
        : `${flag} ${dir}: ${d} is ${st.isFile() ? 'a file' : kindOf(st)}, not a folder`;
    throw new UsageError(what, fix);
  }
  const fs = pseudoFs(d);
  if (fs) throw new UsageError(`${flag} ${dir} is on the ${fs} pseudo file system, where reports cannot be written`, fix);
  try {
    accessSync(d, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UsageError(`${flag} ${dir}: ${d} is not writable (${errCode(e)})`, fix);
  }
}
