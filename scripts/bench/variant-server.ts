/**
 * A server variant (src/server/variants/, e.g. a mutant that omits a message) as a separate
 * process, for the bench's runs against an external faulty target (row c). It takes the
 * standalone server's options (src/server/cli-options.ts) and prints the same "listening on"
 * line; the variant is named by DPE_VARIANT. Only for loopback benches: the shipped standalone
 * server (src/server/main.ts) builds no variant.
 */
import pino from 'pino';
import { parseStandalone } from '../../src/server/cli-options';
import { buildVariant } from '../../src/server/variants';

async function main(): Promise<void> {
  const variant = process.env.DPE_VARIANT;
  if (!variant) throw new Error('DPE_VARIANT names the server variant to run, e.g. DPE_VARIANT=no-group-release');
  const cfg = parseStandalone(process.argv);
  const logger = pino({ level: cfg.logLevel, base: { service: `dpe-variant-${variant}` } }, pino.destination({ fd: 2, sync: true }));
  const dpe = buildVariant(variant, { ...cfg.options, logger });
  const url = await dpe.listen(cfg.port, cfg.host);
  console.log(`DPE server variant ${variant} listening on ${url} (policy ${cfg.options.policy})`);
  const stop = () => void dpe.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`variant-server: ${e.message}`);
  process.exit(2);
});
