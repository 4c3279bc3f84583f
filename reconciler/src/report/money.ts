/** Money as people read it in plans and reports: `$1,234.50`, deltas signed `+$412.10`. */

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** `$1,234.50`. */
export function formatUSD(amount: number): string {
  return usd.format(Math.abs(amount) < 0.005 ? 0 : amount);
}

/** `+$412.10`, `-$20.00`, `$0.00`. */
export function formatDeltaUSD(amount: number): string {
  if (Math.abs(amount) < 0.005) return '$0.00';
  return `${amount > 0 ? '+' : '-'}${usd.format(Math.abs(amount))}`;
}
