/**
 * Container targets: starts an implementation from a local Docker image through testcontainers,
 * in the host's network namespace (so it reaches the mock network on loopback and nothing
 * else is needed), waits for its "listening on" line, keeps its logs for the report, stops it.
 * Nothing is ever pulled: an image that is not local is an environment error.
 */
import type { StartedTestContainer } from 'testcontainers';
import { freeLoopbackPort } from '../process/loopback-port';

// Ryuk (the reaper) would need an image pull; the host override keeps testcontainers from
// guessing a gateway address. Set before testcontainers is loaded (it is imported lazily).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';

export interface ContainerTarget {
  /** Base URL of the implementation, on loopback. */
  url: string;
  /** Everything the container wrote to stdout and stderr so far (all of it once stopped). */
  logs(): Promise<string>;
  stop(): Promise<void>;
}

export interface ContainerTargetOptions {
  /** Port the implementation listens on (host network); default: a free port chosen on the host. */
  port?: number;
  /** Further arguments after --port and --host, e.g. --sp SP-ID,TOKEN,NOTIFY-URI or --policy. */
  args?: string[];
  startupTimeoutMs?: number;
}

export class ContainerTargetError extends Error {}

const READY = /listening on/;
const DEFAULT_STARTUP_TIMEOUT_MS = 20_000;
const ENGINE_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const LOG_DRAIN_MS = 2_000;

/** Rejects with `what` when `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ContainerTargetError(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}

/** Whether a Docker engine answers here, with the reason when not (for skipping tests). */
export async function dockerAvailable(): Promise<{ ok: boolean; reason?: string }> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    // testcontainers asks the engine for its info before it hands out a client
    await within(getContainerRuntimeClient(), ENGINE_TIMEOUT_MS, 'Docker engine');
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: firstLine((e as Error).message) };
  }
}

export async function startContainerTarget(image: string, o: ContainerTargetOptions = {}): Promise<ContainerTarget> {
  const { GenericContainer, ImageName, Wait, getContainerRuntimeClient } = await import('testcontainers');
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await within(getContainerRuntimeClient(), ENGINE_TIMEOUT_MS, 'Docker engine');
  } catch (e) {
    throw new ContainerTargetError(`no Docker engine to start ${image}: ${firstLine((e as Error).message)}`);
  }
  // testcontainers pulls a missing image; nothing may be pulled here, so say what to build
  if (!(await within(client.image.exists(ImageName.fromString(image)), ENGINE_TIMEOUT_MS, `looking up image ${image}`))) {
    throw new ContainerTargetError(
      `image ${image} is not in the local Docker engine and is never pulled; build it first (scripts/build-image.sh for the reference server)`,
    );
  }

  const port = o.port ?? (await freeLoopbackPort());
  const startupTimeoutMs = o.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  let text = '';
  let drained: Promise<void> = Promise.resolve();
  const container = new GenericContainer(image)
    .withNetworkMode('host')
    .withCommand(['--port', String(port), '--host', '127.0.0.1', ...(o.args ?? [])])
    // Wait.forHttp never completes in host network mode; the server announces itself instead
    .withWaitStrategy(Wait.forLogMessage(READY))
    .withStartupTimeout(startupTimeoutMs)
    .withLogConsumer((stream) => {
      drained = new Promise((resolve) => {
        stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()));
        stream.on('end', resolve);
        stream.on('error', () => resolve());
      });
    });

  let started: StartedTestContainer;
  const starting = container.start();
  try {
    // the outer deadline also bounds creating and starting, which the wait strategy does not
    started = await within(starting, startupTimeoutMs + ENGINE_TIMEOUT_MS, `starting ${image}`);
  } catch (e) {
    // past the outer deadline the start may still complete: stop that container then
    starting.then((c) => c.stop({ timeout: 0 })).catch(() => undefined);
    const tail = text.trim() ? `\n--- container output ---\n${text.trim()}` : ' (the container wrote nothing)';
    throw new ContainerTargetError(
      `${image} did not become ready (it must print "listening on" within ${startupTimeoutMs} ms): ${firstLine((e as Error).message)}${tail}`,
    );
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    async logs() {
      if (stopped) await within(drained, LOG_DRAIN_MS, 'container log stream').catch(() => undefined);
      return text;
    },
    stop() {
      // SIGTERM first, so the server closes its sockets; removed afterwards
      stopped ??= within(started.stop({ timeout: STOP_GRACE_MS }), STOP_GRACE_MS + ENGINE_TIMEOUT_MS, `stopping ${image}`).then(
        () => undefined,
      );
      return stopped;
    },
  };
}

function firstLine(s: string): string {
  const [line = ''] = s.split('\n', 1);
  return line;
}
