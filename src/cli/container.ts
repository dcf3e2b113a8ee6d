/**
 * Container targets: starts the implementation under test from a local Docker image with
 * host networking (no port mapping, loopback only), waits for its "listening on <URL>" log
 * line, and keeps its logs so they can be attached to the run's report.
 * testcontainers is loaded lazily: runs by URL never need a Docker engine.
 */
import { writeFileSync } from 'node:fs';
import type { StartedTestContainer } from 'testcontainers';

export interface ContainerTargetOptions {
  image: string;
  /** Arguments given to the image's entry point. */
  args: string[];
  /** Log line that says the target is ready; its first capture group, if any, is the base URL. */
  ready: RegExp;
  startupTimeoutMs: number;
}

export class ContainerTarget {
  private constructor(
    private readonly container: StartedTestContainer,
    private readonly log: string[],
    /** Base URL read from the ready line, when it has one. */
    readonly url: string | undefined,
  ) {}

  static async start(o: ContainerTargetOptions): Promise<ContainerTarget> {
    // testcontainers' reaper container cannot be pulled here; the host is loopback (toolchain.md)
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    const { GenericContainer, Wait } = await import('testcontainers');
    const log: string[] = [];
    // the wait strategy reads its own log stream; ours may lag behind it a little
    let seen: (() => void) | undefined;
    const readyInOurLog = new Promise<void>((resolve) => (seen = resolve));
    let container = new GenericContainer(o.image)
      .withNetworkMode('host')
      .withWaitStrategy(Wait.forLogMessage(o.ready))
      .withStartupTimeout(o.startupTimeoutMs)
      .withLogConsumer((stream) =>
        stream.on('data', (c: Buffer | string) => {
          log.push(c.toString());
          if (o.ready.test(log.join(''))) seen?.();
        }),
      );
    if (o.args.length) container = container.withCommand(o.args);
    const started = await container.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([readyInOurLog, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    const url = o.ready.exec(log.join(''))?.[1];
    return new ContainerTarget(started, log, url);
  }

  /** Stops the container and writes its logs to `file`. */
  async stop(file: string): Promise<void> {
    try {
      await this.container.stop({ timeout: 5000 });
    } finally {
      writeFileSync(file, this.log.join(''));
    }
  }
}
