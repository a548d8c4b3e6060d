/** How long samples are kept by default: one definition, read by the store and by the policy. */

/** Prometheus's default: fifteen days, past the longest burn-rate window (three days). */
export const DEFAULT_RETENTION_MS = 15 * 24 * 60 * 60 * 1000;
