/** A `KpiLightsClient` that tests script by hand: they push stream events and set histories. */
import type {
  HistoryOptions,
  KpiLightsClient,
  PolicyDocument,
  WatchEvent,
  WatchOptions,
} from '../../sdk/client-types.js';
import type {
  KpiBudgetHistory,
  KpiHistory,
  KpiReading,
  KpiStatus,
  KpiUnit,
} from '../../sdk/types.js';

/** One open `watch()` stream: the events queued for it and the reader waiting, if any. */
interface Stream {
  readonly queue: WatchEvent[];
  wake: (() => void) | undefined;
  closed: boolean;
}

/**
 * The scripted client. `push` reaches every open stream, as the server's one stream would.
 *
 * @example
 * ```ts
 * const client = new ScriptedClient();
 * configure({ createClient: () => client });
 * client.push({ type: 'snapshot', data: { policyVersion: 1, kpis: [reading()], alerts: [] } });
 * ```
 */
export class ScriptedClient implements KpiLightsClient {
  readonly #streams = new Set<Stream>();
  /** How many times `watch` was called: the page must open one stream per server. */
  watchCalls = 0;
  /** Histories by `id` or `id group`. */
  readonly histories = new Map<string, KpiHistory>();
  /** Every `history` call's options, in order. */
  readonly historyCalls: { id: string; options: HistoryOptions | undefined }[] = [];
  /** Budget burn-downs by KPI id. */
  readonly budgets = new Map<string, KpiBudgetHistory>();
  /** The ids `budgetHistory` was asked for, in order. */
  readonly budgetCalls: string[] = [];

  /** Streams still open. */
  get openStreams(): number {
    return this.#streams.size;
  }

  push(event: WatchEvent): void {
    for (const stream of this.#streams) {
      stream.queue.push(event);
      stream.wake?.();
    }
  }

  async kpis(): Promise<KpiReading[]> {
    return [];
  }

  async kpi(id: string): Promise<KpiReading> {
    throw new Error(`scripted client: no kpi ${id}`);
  }

  async history(id: string, options?: HistoryOptions): Promise<KpiHistory> {
    this.historyCalls.push({ id, options });
    const found = this.histories.get(options?.group ? `${id} ${options.group}` : id);
    if (found === undefined) throw new Error(`scripted client: no history for ${id}`);
    return found;
  }

  async budgetHistory(id: string): Promise<KpiBudgetHistory> {
    this.budgetCalls.push(id);
    const found = this.budgets.get(id);
    if (found === undefined) throw new Error(`scripted client: no budget for ${id}`);
    return found;
  }

  async targets(): Promise<never[]> {
    return [];
  }

  async policy(): Promise<PolicyDocument> {
    throw new Error('scripted client: no policy');
  }

  async policyVersions(): Promise<never[]> {
    return [];
  }

  async alerts(): Promise<never[]> {
    return [];
  }

  async silences(): Promise<never[]> {
    return [];
  }

  watch(options?: WatchOptions): AsyncIterableIterator<WatchEvent> {
    this.watchCalls += 1;
    const stream: Stream = { queue: [], wake: undefined, closed: false };
    this.#streams.add(stream);
    const close = () => {
      stream.closed = true;
      this.#streams.delete(stream);
      stream.wake?.();
    };
    options?.signal?.addEventListener('abort', close, { once: true });
    const iterator: AsyncIterableIterator<WatchEvent> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (stream.queue.length === 0 && !stream.closed) {
          await new Promise<void>((resolve) => (stream.wake = resolve));
          stream.wake = undefined;
        }
        const value = stream.queue.shift();
        return value === undefined || stream.closed
          ? { done: true, value: undefined }
          : { done: false, value };
      },
      return: async () => {
        close();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }
}

/** The fixed "now" of the tests: 2026-04-15 14:05 UTC. */
export const TEST_NOW = Date.parse('2026-04-15T14:05:00Z');

/**
 * A reading with sensible defaults: the e-file error rate at `status`.
 *
 * @example
 * ```ts
 * reading({ status: 'critical', value: 0.1 });
 * ```
 */
export function reading(
  overrides: Partial<KpiReading> & { stale?: boolean; staleAfter?: string } = {},
): KpiReading {
  const status: KpiStatus = overrides.status ?? 'ok';
  const values: Record<KpiStatus, number | null> = {
    ok: 0.002,
    warning: 0.015,
    critical: 0.1023,
    unknown: null,
  };
  const unit: KpiUnit = 'percent';
  return {
    id: 'efile-error-rate',
    title: 'E-file error rate',
    unit,
    direction: 'higher-is-worse',
    thresholds: { warning: 0.01, critical: 0.03 },
    value: values[status],
    status,
    ...(status === 'unknown' && { reason: 'no data' as const }),
    evaluatedAt: new Date(TEST_NOW - 120_000).toISOString(),
    policyVersion: 1,
    runbook: 'https://intranet.example.gov/runbooks/efile-errors',
    stale: false,
    staleAfter: new Date(TEST_NOW + 3_600_000).toISOString(),
    ...overrides,
  };
}
