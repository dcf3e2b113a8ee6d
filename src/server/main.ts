/**
 * The standalone reference DPE Server: `npm run server -- --port 7700 --policy per-device`
 * (options: src/server/cli-options.ts, `--help`; defaults and switches: docs/security.md).
 * Prints the URL it listens on ("DPE reference server listening on http://…"), which the
 * harness and container targets wait for; logs JSON lines (pino) on stderr. On SIGTERM or
 * SIGINT it stops accepting requests, delivers what is queued for at most --drain-ms, then exits.
 */
import { CommanderError } from 'commander';
import pino from 'pino';
import { buildServer } from './app';
import { parseStandalone } from './cli-options';

export async function main(argv: string[]): Promise<void> {
  const cfg = parseStandalone(argv);
  const logger = pino({ level: cfg.logLevel, base: { service: 'dpe-reference-server' } }, pino.destination({ fd: 2, sync: true }));
  const dpe = buildServer({ ...cfg.options, logger });
  const url = await dpe.listen(cfg.port, cfg.host);
  const sps = cfg.options.serviceProviders?.length ?? 0;
  console.log(`DPE reference server listening on ${url} (policy ${cfg.options.policy}, ${sps} SP(s) onboarded)`);
  logger.info({ event: 'listening', url, testHooks: !!cfg.options.provisioningEndpoint, limits: cfg.options.limits }, 'listening');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'draining', signal, drainMs: cfg.drainMs, queued: dpe.health().delivery.queued }, 'draining the outbox');
    void dpe.shutdown(cfg.drainMs).then(() => {
      const { counters } = dpe.health().delivery;
      logger.info({ event: 'stopped', counters }, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main(process.argv).catch((e: Error) => {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    console.error(`dpe-reference-server: ${e.message}`);
    process.exit(2);
  });
}
