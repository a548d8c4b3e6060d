/** Calendar functions (year, month, hour, …) of a Unix time in seconds, in UTC, as Prometheus. */

// Civil date of the last call; the kernels run one at a time, so a shared scratch is safe.
let cYear = 0;
let cMonth = 0;
let cDay = 0;
let cSecOfDay = 0;
let cDays = 0;

/**
 * Splits whole seconds (truncated towards zero, like Go's int64 conversion) into a proleptic
 * Gregorian UTC date, with Howard Hinnant's days→civil algorithm so any year works, unlike Date.
 */
function civil(epochSeconds: number): void {
  const secs = Math.trunc(epochSeconds);
  const days = Math.floor(secs / 86400);
  cSecOfDay = secs - days * 86400;
  cDays = days;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  cDay = doy - Math.floor((153 * mp + 2) / 5) + 1;
  cMonth = mp < 10 ? mp + 3 : mp - 9;
  cYear = yoe + era * 400 + (cMonth <= 2 ? 1 : 0);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Wraps a calendar field so that NaN and ±Inf (no defined instant) give NaN. */
function dateKernel(field: () => number): (epochSeconds: number) => number {
  return (epochSeconds) => {
    if (!Number.isFinite(epochSeconds)) return Number.NaN;
    civil(epochSeconds);
    return field();
  };
}

/**
 * Calendar functions by PromQL name; the argument is Unix time in seconds, fractions ignored.
 * @example
 * DATE_KERNELS.year(1136239445); // 2006
 * DATE_KERNELS.day_of_week(0); // 4 (Thursday; Sunday is 0)
 */
export const DATE_KERNELS: Readonly<Record<string, (epochSeconds: number) => number>> =
  Object.freeze({
    day_of_month: dateKernel(() => cDay),
    // 1970-01-01 was a Thursday (4).
    day_of_week: dateKernel(() => (((cDays + 4) % 7) + 7) % 7),
    day_of_year: dateKernel(
      () => DAYS_BEFORE_MONTH[cMonth - 1] + cDay + (cMonth > 2 && isLeap(cYear) ? 1 : 0),
    ),
    days_in_month: dateKernel(() =>
      cMonth === 2 && isLeap(cYear) ? 29 : DAYS_IN_MONTH[cMonth - 1],
    ),
    hour: dateKernel(() => Math.floor(cSecOfDay / 3600)),
    minute: dateKernel(() => Math.floor((cSecOfDay % 3600) / 60)),
    month: dateKernel(() => cMonth),
    year: dateKernel(() => cYear),
  });
