/**
 * Progress of a load run on stderr: a bar on a terminal (cli-progress), a line every few seconds
 * otherwise (a CI log must not fill with redraws).
 */
import { SingleBar } from 'cli-progress';

export interface ProgressState {
  phase: 'running' | 'draining' | 'judging';
  elapsedS: number;
  requests: number;
  /** Cohorts still running (load) or still waiting for owed messages (drain). */
  cohortsBusy: number;
  refused: number;
  gaveUp: number;
}

export interface Progress {
  update(s: ProgressState): void;
  stop(): void;
}

const words = (s: ProgressState) =>
  `${s.requests} requests (${s.elapsedS > 0 ? Math.round(s.requests / s.elapsedS) : 0}/s), ${s.refused} refused, ${s.gaveUp} owed messages not arrived, ${s.cohortsBusy} cohorts ${s.phase === 'running' ? 'running' : 'waiting'}`;

/** A bar on a TTY, lines every `everyS` seconds otherwise. */
export function progressFor(stream: NodeJS.WriteStream, durationS: number, everyS = 5): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({
      stream,
      format: 'load [{bar}] {value}/{total} s | {phase} | {words}',
      barsize: 30,
      hideCursor: true,
      clearOnComplete: false,
      fps: 4,
    });
    let started = false;
    return {
      update(s) {
        const value = Math.min(durationS, Math.floor(s.elapsedS));
        if (!started) bar.start(durationS, value, { phase: s.phase, words: words(s) });
        else bar.update(value, { phase: s.phase, words: words(s) });
        started = true;
      },
      stop: () => {
        if (!started) return;
        bar.stop();
        // the bar puts the cursor back where it began: keep its last state on a line of its own
        stream.write('\n');
      },
    };
  }
  let last = -Infinity;
  let lastPhase = '';
  return {
    update(s) {
      if (s.elapsedS - last < everyS && s.phase === lastPhase) return;
      last = s.elapsedS;
      lastPhase = s.phase;
      stream.write(`dpe-conformance: load ${s.phase} ${s.elapsedS.toFixed(0)}/${durationS} s: ${words(s)}\n`);
    },
    stop: () => undefined,
  };
}
