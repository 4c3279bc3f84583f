/**
 * Readers for Batch request members. The core hands handlers the decoded JSON body; these
 * check each member's type the way the Batch front end does and answer ClientException.
 */
import { clientError } from './model.js';
import type { BatchKeyValue } from './model.js';

/** A required non-empty string member. @throws ClientException when missing or not a string */
export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') throw clientError(`${name} is required.`);
  return value;
}

/** An optional string member. @throws ClientException when present but not a string */
export function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw clientError(`${name} must be a string.`);
  return value;
}

/** An optional integer member within bounds. @throws ClientException when out of range */
export function optionalInteger(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw clientError(`${name} must be an integer between ${min} and ${max}.`);
  }
  return value;
}

/** An optional object member. @throws ClientException when present but not an object */
export function optionalObject(input: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw clientError(`${name} must be an object.`);
  return value as Record<string, unknown>;
}

/** An optional list member. @throws ClientException when present but not a list */
export function optionalList(input: Record<string, unknown>, name: string): unknown[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw clientError(`${name} must be a list.`);
  return value as unknown[];
}

/** A string-to-string map member such as `tags` or `parameters`. */
export function stringMap(input: Record<string, unknown>, name: string): Record<string, string> {
  const value = optionalObject(input, name) ?? {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw clientError(`${name}.${key} must be a string.`);
    out[key] = item;
  }
  return out;
}

/** A list of `{ name, value }` pairs such as `environment`. */
export function keyValues(input: Record<string, unknown>, name: string): BatchKeyValue[] {
  const out: BatchKeyValue[] = [];
  for (const item of optionalList(input, name) ?? []) {
    const pair = item as Record<string, unknown> | null;
    if (typeof pair?.name !== 'string') throw clientError(`${name}[].name is required.`);
    out.push({ name: pair.name, value: typeof pair.value === 'string' ? pair.value : '' });
  }
  return out;
}

/** A list-of-strings member such as `command`, or [] when absent. @throws ClientException when an item is not a string */
export function checkedStringList(input: Record<string, unknown>, name: string): string[] {
  const list = optionalList(input, name) ?? [];
  for (const item of list) {
    if (typeof item !== 'string') throw clientError(`${name} must be a list of strings.`);
  }
  return list as string[];
}

/** Offset-based pagination token, opaque to callers like Batch's own. */
export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

/** The offset inside a token from {@link encodeToken}. @throws ClientException when malformed */
export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) {
      return parsed.offset;
    }
  } catch {
    // fall through to the error below
  }
  throw clientError('The nextToken is not valid.');
}
