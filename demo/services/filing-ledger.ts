/** The e-file portal's shared memory of submitted filings, bounded so a long demo cannot grow without end. */
import { randomUUID } from 'node:crypto';

/** Where a filing stands, as the status service reports it. */
export type FilingStatus = 'received' | 'processing' | 'accepted';

/** One submitted filing. */
export interface Filing {
  readonly id: string;
  readonly form: string;
  readonly taxYear: number;
  readonly receivedAt: number;
}

/** How long a filing takes to move on to the next status, so status checks see it change. */
const PROCESSING_AFTER_MS = 2_000;
const ACCEPTED_AFTER_MS = 10_000;

/**
 * Filings by id, oldest dropped first once `capacity` is reached. The submit and status
 * services share one ledger when they run in one process, as they do in `npm start`.
 */
export class FilingLedger {
  readonly #filings = new Map<string, Filing>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#filings.size;
  }

  /** Records a filing and returns it with its new id. */
  add(form: string, taxYear: number): Filing {
    const filing: Filing = { id: randomUUID(), form, taxYear, receivedAt: this.#now() };
    this.#filings.set(filing.id, filing);
    if (this.#filings.size > this.#capacity) {
      // A Map iterates in insertion order, so the first key is the oldest filing.
      const oldest = this.#filings.keys().next().value;
      if (oldest !== undefined) this.#filings.delete(oldest);
    }
    return filing;
  }

  get(id: string): Filing | undefined {
    return this.#filings.get(id);
  }

  /** The filing's status by its age; undefined for an unknown id. */
  status(id: string): FilingStatus | undefined {
    const filing = this.#filings.get(id);
    if (!filing) return undefined;
    const age = this.#now() - filing.receivedAt;
    if (age >= ACCEPTED_AFTER_MS) return 'accepted';
    return age >= PROCESSING_AFTER_MS ? 'processing' : 'received';
  }
}
