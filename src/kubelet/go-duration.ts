/** A whole number of milliseconds as Go's time.Duration prints it: 0s, 50ms, 1.5s, 2m3.25s, 1h0m0s. */
export function goDurationMs(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const rest = total % 60_000;
  const seconds = `${Math.floor(rest / 1000)}${
    rest % 1000
      ? `.${String(rest % 1000)
          .padStart(3, '0')
          .replace(/0+$/, '')}`
      : ''
  }s`;
  if (h) return `${h}h${m}m${seconds}`;
  if (m) return `${m}m${seconds}`;
  return seconds;
}
