/** Counts what each client address holds open (connections, streams) against a cap per address and a cap in total. */

/** Caps of a {@link ClientCaps}; 0 turns one off. */
export interface ClientCapLimits {
  /** Most held at once, all clients together. */
  readonly total: number;
  /** Most held at once by one client address. */
  readonly perClient: number;
}

/** Why a client was refused: the whole server is full, or this address holds its share. */
export type CapRefusal = 'total' | 'per-client';

/** Refusals so far, by reason. */
export interface CapRefusals {
  readonly total: number;
  readonly perClient: number;
}

/**
 * A count of open things per client address, with the two caps every held resource gets: one
 * client cannot take more than its share, and all together cannot take more than the server
 * can hold. `take` answers whether there is room and counts it; `give` returns it.
 *
 * @example
 * ```ts
 * const streams = new ClientCaps({ total: 512, perClient: 64 });
 * const refused = streams.take(address);
 * if (refused) return refuse(refused);
 * socket.once('close', () => streams.give(address));
 * ```
 */
export class ClientCaps {
  readonly #held = new Map<string, number>();
  #open = 0;
  #refusedTotal = 0;
  #refusedPerClient = 0;

  constructor(readonly limits: ClientCapLimits) {}

  /** Held now, all clients together. */
  get open(): number {
    return this.#open;
  }

  /** Clients holding something now. */
  get clients(): number {
    return this.#held.size;
  }

  get refusals(): CapRefusals {
    return { total: this.#refusedTotal, perClient: this.#refusedPerClient };
  }

  /** Held now by one address. */
  heldBy(address: string): number {
    return this.#held.get(address) ?? 0;
  }

  /** Whether `address` may hold one more: `undefined` (taken and counted) or why not. */
  take(address: string): CapRefusal | undefined {
    const refusal = this.check(address);
    if (refusal === 'total') this.#refusedTotal++;
    else if (refusal === 'per-client') this.#refusedPerClient++;
    else {
      this.#open++;
      this.#held.set(address, this.heldBy(address) + 1);
    }
    return refusal;
  }

  /** Why `address` could not take one more now, without counting anything. */
  check(address: string): CapRefusal | undefined {
    const { total, perClient } = this.limits;
    if (perClient > 0 && this.heldBy(address) >= perClient) return 'per-client';
    if (total > 0 && this.#open >= total) return 'total';
    return undefined;
  }

  /** Returns one held by `address`. */
  give(address: string): void {
    const held = this.heldBy(address);
    if (held <= 0) return;
    this.#open--;
    if (held === 1) this.#held.delete(address);
    else this.#held.set(address, held - 1);
  }
}
