/** Value → light: inclusive thresholds both ways, NaN and infinities, and which light is worse. */
import { describe, expect, it } from 'vitest';
import { isWorse, statusOf } from './status.js';

describe('statusOf', () => {
  const errors = { warning: 0.01, critical: 0.03 };
  const fast = { warning: 0.995, critical: 0.99 };

  it('is inclusive at both thresholds when higher is worse', () => {
    expect(statusOf(0.009, errors).status).toBe('ok');
    expect(statusOf(0.01, errors).status).toBe('warning');
    expect(statusOf(0.029, errors).status).toBe('warning');
    expect(statusOf(0.03, errors).status).toBe('critical');
    expect(statusOf(5, errors, 'higher-is-worse').status).toBe('critical');
  });

  it('is inclusive at both thresholds when lower is worse', () => {
    expect(statusOf(0.999, fast, 'lower-is-worse').status).toBe('ok');
    expect(statusOf(0.995, fast, 'lower-is-worse').status).toBe('warning');
    expect(statusOf(0.991, fast, 'lower-is-worse').status).toBe('warning');
    expect(statusOf(0.99, fast, 'lower-is-worse').status).toBe('critical');
    expect(statusOf(0, fast, 'lower-is-worse').status).toBe('critical');
  });

  it('calls null and NaN unknown for want of data, and compares infinities', () => {
    expect(statusOf(null, errors)).toEqual({ status: 'unknown', reason: 'no data' });
    expect(statusOf(Number.NaN, errors)).toEqual({ status: 'unknown', reason: 'no data' });
    expect(statusOf(Number.POSITIVE_INFINITY, errors)).toEqual({ status: 'critical' });
    expect(statusOf(Number.POSITIVE_INFINITY, fast, 'lower-is-worse')).toEqual({ status: 'ok' });
    expect(statusOf(Number.NEGATIVE_INFINITY, fast, 'lower-is-worse').status).toBe('critical');
  });
});

describe('isWorse', () => {
  it('ranks critical > warning > unknown > ok, then by value in the direction', () => {
    const crit = { status: 'critical', value: 0.05 } as const;
    const unknown = { status: 'unknown', value: null } as const;
    const ok = { status: 'ok', value: 0 } as const;
    expect(isWorse(crit, unknown)).toBe(true);
    expect(isWorse(unknown, crit)).toBe(false);
    expect(isWorse(unknown, ok)).toBe(true);
    expect(isWorse({ status: 'critical', value: 0.9 }, crit)).toBe(true);
    expect(isWorse({ status: 'critical', value: 0.9 }, crit, 'lower-is-worse')).toBe(false);
  });
});
