/** IANA time zones and wall-clock time in them, through the platform's Intl (full ICU in Node). */

/** True for an IANA zone the platform knows, spelled as IANA does: `America/New_York`, `UTC`. */
export function isTimeZone(name: string): boolean {
  if (name === 'UTC' || name === 'Etc/UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    // Intl also takes lowercase spellings and abbreviations like EST; specs use the IANA Area/Location form.
    return /^[A-Z][A-Za-z_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*){1,2}$/.test(name);
  } catch {
    return false;
  }
}

/** Wall-clock parts of an instant in a zone: weekday 0 = Sunday, minutes since local midnight. */
export interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The local date, weekday and minute of `instant` in `timeZone` (correct across DST changes). */
export function localTime(instant: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}
