/**
 * Parsing of the load command's option values; each failure is a commander InvalidArgumentError,
 * so it is reported as an option error (exit 2) with what is expected.
 */
import { InvalidArgumentError } from 'commander';

/** The most devices one load drives (cohorts are sized so the mock network's routes suffice: src/load/workload.ts). */
export const MAX_DEVICES = 5000;
export const MAX_DURATION_S = 3600;
/** The reference server closes connections beyond 256: the load stays well below. */
export const MAX_CONCURRENCY = 200;

function integer(v: string, min: number, max: number, what: string, example: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`expected ${what} from ${min} to ${max}, e.g. ${example}`);
  return n;
}

export const parseDevices = (v: string): number => integer(v, 1, MAX_DEVICES, 'a number of mock devices', '1000');

export function parseDuration(v: string): number {
  const n = Number(v.replace(/s$/, ''));
  if (!Number.isFinite(n) || n <= 0 || n > MAX_DURATION_S)
    throw new InvalidArgumentError(`expected the seconds the load runs, more than 0 and at most ${MAX_DURATION_S}, e.g. 60`);
  return n;
}

export const parseConcurrency = (v: string): number => integer(v, 1, MAX_CONCURRENCY, 'a number of requests in flight', '64');

export const parseSeed = (v: string): number => integer(v, 0, 2 ** 31 - 1, 'a seed', '42');
