/**
 * Child process of row e of the bench (scripts/bench/scale.ts): the reference server (buildServer,
 * listening on loopback) whose state is filled in bulk, in steps, to a given number of
 * associations. Run with --expose-gc and an IPC channel:
 *
 *   parent -> {fill: N}       child fills to N associations, collects garbage, answers
 *   child  -> {filled: ...}   associations, fill time, RSS and heap after a full GC, and a sample
 *                             of filled devices with their Client IDs (the parent re-registers them
 *                             through the binding: each must keep its Client ID)
 *
 * The bulk path is the registration transition itself (src/server/procedures/registration.ts `register`, the
 * reference Client ID assigner, the server's Client ID minting with its never-repeat check) run on
 * the server's own ServerState; it skips only HTTP, validation and the outbox (a new device's
 * device-change messages: a million of them would measure the outbox, not the state). The
 * identities and the Notify-URI are parsed from a request body as the binding does, so the
 * strings held are the same kind as those a request leaves.
 */
import { buildServer, DEFAULT_SEAMS } from '../../src/server/app';
import { ASSIGNERS } from '../../src/server/client-id-policy';
import { register } from '../../src/server/procedures/registration';
import { benchIdentity, registrationBody } from './load';

export interface Filled {
  associations: number;
  fillMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Devices filled in bulk, with the identities and Client ID each holds. */
  sample: Array<{ user: string; device: string; notifyUri: string; clientId: string }>;
}

const gc = (globalThis as { gc?: () => void }).gc;
const NOTIFY_PORT = Number(process.env.DPE_BENCH_NOTIFY_PORT ?? 9);

async function main(): Promise<void> {
  if (!process.send || !gc) throw new Error('scale-server runs as a child of scripts/bench/scale.ts, with --expose-gc and IPC');
  const policy = 'per-user-and-device';
  const dpe = buildServer({ policy });
  const url = await dpe.listen(0, '127.0.0.1');
  const { state } = dpe;
  let minted = 0;
  const newId = () => {
    let id: string;
    do id = DEFAULT_SEAMS.mintClientId(++minted, 'bulk');
    while (state.issuedClientIds.has(id));
    state.issuedClientIds.add(id);
    return id;
  };
  let filled = 0;
  const fill = (n: number) => {
    for (; filled < n; filled++) {
      const { user, device } = benchIdentity(filled, 4);
      const body = JSON.parse(registrationBody(user, device, `http://127.0.0.1:${NOTIFY_PORT}/d/${device}`, `bulk-${filled}`)) as Record<
        'User-Identity' | 'Device-Identity' | 'Notify-URI',
        string
      >;
      register(state, { user: body['User-Identity'], device: body['Device-Identity'] }, body['Notify-URI'], ASSIGNERS[policy], newId);
    }
  };
  const sampleOf = (n: number) =>
    [...new Set([0, Math.floor(n / 2), n - 1])]
      .filter((i) => i >= 0 && i < n)
      .map((i) => {
        const { user, device } = benchIdentity(i, 4);
        const rec = state.device(device)!;
        return { user, device, notifyUri: rec.notifyUri, clientId: rec.clientId! };
      });

  process.on('message', (m: { fill?: number; stop?: boolean }) => {
    if (m.stop) {
      void dpe.close().then(() => process.exit(0));
      return;
    }
    const target = m.fill ?? 0;
    const t0 = performance.now();
    fill(target);
    const fillMs = performance.now() - t0;
    gc();
    gc();
    const mem = process.memoryUsage();
    const reply: Filled = {
      associations: state.devices.size,
      fillMs,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      sample: sampleOf(target),
    };
    process.send!({ filled: reply });
  });
  process.send({ url });
}

main().catch((e: Error) => {
  console.error(`scale-server: ${e.message}`);
  process.exit(2);
});
