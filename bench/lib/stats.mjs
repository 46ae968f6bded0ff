// Latency summaries: nearest-rank percentiles of samples in milliseconds, rounded to the microsecond.

const round = (value) => (value === null ? null : Math.round(value * 1000) / 1000);

/** Nearest-rank percentile of an ascending array; null when there are no samples. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? null : sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    mean: round(mean),
    min: round(sorted[0] ?? null),
    max: round(sorted.at(-1) ?? null),
  };
}

/** a - b, or null when either is missing. */
export const difference = (a, b) => (a === null || b === null ? null : round(a - b));

/** a / b to two decimals, or null when either is missing or b is zero. */
export const ratio = (a, b) => (a === null || b === null || b === 0 ? null : Math.round((a / b) * 100) / 100);

export const roundMs = round;
