/** Process groups: a child spawned `detached` leads its own, so one signal reaches it and everything it started. */

/** Signals the group `pid` leads; a group that has exited already is no error. */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group has exited already
  }
}
