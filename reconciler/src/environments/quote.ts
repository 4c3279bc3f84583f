/**
 * Quoting for the two languages user data is written in. Every string that came from a spec
 * goes through one of these, even when the schema pattern already rules out anything unsafe:
 * the renderer must stay safe for documents that bypassed validation.
 */

const SHELL_BARE = /^[A-Za-z0-9@%+=:,./_-]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * One shell word that expands to exactly `value`. The output is always printable ASCII, so it
 * can sit inside a YAML literal block: non-printable or non-ASCII input uses bash `$'...'`
 * quoting with `\xHH` escapes (a carriage return or U+2028 would otherwise end the YAML line).
 */
export function shellQuote(value: string): string {
  if (SHELL_BARE.test(value)) {
    return value;
  }
  if (PRINTABLE_ASCII.test(value)) {
    return `'${value.replace(/'/g, `'\\''`)}'`;
  }
  let body = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (char === '\\' || char === "'") {
      body += `\\${char}`;
    } else if (byte >= 0x20 && byte <= 0x7e) {
      body += char;
    } else {
      body += `\\x${byte.toString(16).padStart(2, '0')}`;
    }
  }
  return `$'${body}'`;
}

/** A YAML double-quoted scalar: JSON string syntax, with every non-ASCII character escaped. */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** JSON with sorted object keys and ASCII-only output, for files whose bytes must not vary. */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, entry]) => [key, sortKeys(entry)]));
  }
  return value;
}

/** A single line safe for a systemd unit value: no control characters, `%` escaped. */
export function systemdLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/%/g, '%%')
    .trim();
}

/** A name safe as a file name and unit name: the DNS-label alphabet only. */
export function safeName(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'service' : cleaned;
}
