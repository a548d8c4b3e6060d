/** Stops what the demo started, last first, on Ctrl-C, SIGTERM or a failed start. */
import type { Traffic } from './traffic.js';

/** Something the demo started, with the name its stop failure is reported under. */
interface Running {
  readonly name: string;
  close(): Promise<void>;
}

/**
 * The demo's running parts and their clean stop.
 *
 * @example
 * ```ts
 * const shutdown = new DemoShutdown();
 * shutdown.onSignals();
 * shutdown.track('mail sink', sink.close);
 * await shutdown.stopAll(1); // after a failed start
 * ```
 */
export class DemoShutdown {
  /** The traffic generator, stopped before everything else. */
  traffic: Traffic | undefined;
  readonly #running: Running[] = [];
  #stopping = false;

  /** Adds a started part; parts stop in the reverse of the order they were added. */
  track(name: string, close: () => Promise<void>): void {
    this.#running.push({ name, close });
  }

  /** Ctrl-C and SIGTERM stop the demo cleanly. */
  onSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        // A second Ctrl-C means the clean stop is stuck: leave at once.
        if (this.#stopping) process.exit(130);
        void this.stopAll(0);
      });
    }
  }

  /** Stops everything once, then exits with `code`. */
  async stopAll(code: number): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    console.log('\nstopping the demo…');
    await this.traffic?.stop();
    // Last started, first stopped: the KPI server goes before the services it scrapes.
    for (const r of this.#running.reverse()) {
      await r.close().catch((err: unknown) => console.error(`${r.name}: ${String(err)}`));
    }
    process.exit(code);
  }
}
