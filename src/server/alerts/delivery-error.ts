/** Why a channel could not deliver a notice, and whether trying again can help. */

/**
 * HTTP answers that say the request itself is refused (413 too large, 400 bad, 401/403 not
 * allowed, 404 no such hook): sending it again unchanged will not help. 408, 425 and 429 say
 * "later", so they are retried like a 5xx.
 */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 425 && status !== 429;
}

/**
 * A failed delivery. `permanent` means the receiver refused this notice as it is: the outbox
 * gives it up after a few tries rather than retry it for a day.
 *
 * @example
 * ```ts
 * if (!res.ok) throw new DeliveryError(`webhook ${origin} answered ${res.status}`, { status: res.status });
 * ```
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  /** The receiver's HTTP status, when it answered. */
  readonly status: number | undefined;
  readonly permanent: boolean;

  constructor(
    message: string,
    options: {
      readonly status?: number;
      readonly permanent?: boolean;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.permanent =
      options.permanent ?? (options.status !== undefined && isPermanentStatus(options.status));
  }
}

/**
 * Whether a channel's error means the notice is refused as it is: a {@link DeliveryError} that
 * says so, or an SMTP server's 5xx reply (550 no such mailbox, 552 message too large), which
 * SMTP itself calls permanent.
 */
export function isPermanentFailure(err: unknown): boolean {
  if (err instanceof DeliveryError) return err.permanent;
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
