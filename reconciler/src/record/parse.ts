/**
 * Reading a run record whoever can push the status branch (or write the file) may have written:
 * bounded in size, parsed, and validated against `schemas/run-record.schema.json` before any of it
 * is used. An invalid record is an error naming where it is and the first bad field — never an
 * empty record, which would submit Batch jobs and send alerts again. Both stores read through here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { emptyRecord } from '../model/record.js';
import type { RunRecord } from '../model/record.js';
import { packageRoot } from '../package-root.js';
import { LabopsError } from '../errors.js';

/** Largest record labops reads (a lab of 10,000 workstations writes about 20 MiB). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Why a run record cannot be used. */
export type RecordErrorCode = 'invalid-record' | 'push-contended' | 'git-failed';

/** A run record that cannot be read or written; the message is one line naming where it is. */
export class RecordError extends LabopsError {
  override readonly name: string = 'RecordError';
  declare readonly code: RecordErrorCode;

  constructor(code: RecordErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { retryable: code === 'push-contended', ...options });
  }
}

/** How to read a record. */
export interface ParseRecordOptions {
  /** Where a warning line goes (old-format holds dropped). @default a line on stderr */
  warn?: (message: string) => void;
}

let validator: ValidateFunction | undefined;

function compiled(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, allowUnionTypes: true });
  // `tsType` tells json-schema-to-typescript how to type `resources`; it validates nothing.
  ajv.addKeyword('tsType');
  formats.default(ajv, ['date-time']);
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'run-record.schema.json'), 'utf8')) as object;
  validator = ajv.compile(schema);
  return validator;
}

/** @throws {RecordError} `invalid-record` when `bytes` is over {@link MAX_RECORD_BYTES} */
export function checkRecordSize(bytes: number, where: string): void {
  if (bytes <= MAX_RECORD_BYTES) return;
  const mib = (n: number): string => `${Math.ceil(n / (1024 * 1024))} MiB`;
  throw new RecordError(
    'invalid-record',
    `${where}: the run record is ${mib(bytes)}, over the ${mib(MAX_RECORD_BYTES)} labops reads; refused`,
  );
}

/**
 * The record in `text`, validated. Fields labops always writes but older records may lack read as
 * empty; holds of the previous format (`baseContent`) are dropped with a warning.
 * @throws {RecordError} `invalid-record`, with `where`, the JSON pointer of the first bad field and what was expected
 */
export function parseRecord(text: string, where: string, options: ParseRecordOptions = {}): RunRecord {
  checkRecordSize(Buffer.byteLength(text), where);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new RecordError('invalid-record', `${where}: the run record is not JSON`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new RecordError('invalid-record', `${where}: the run record must be a JSON object, got ${typeName(parsed)}`);
  const fields = parsed as Record<string, unknown>;
  if (fields.version !== 1)
    throw new RecordError(
      'invalid-record',
      `${where}: invalid run record at /version: unsupported version ${fields.version === undefined ? 'missing' : safe(JSON.stringify(fields.version))} (this labops reads version 1)`,
    );
  const record: Record<string, unknown> = { ...emptyRecord(), ...fields };
  dropUnverifiableHolds(
    record,
    where,
    options.warn ?? ((message) => process.stderr.write(`labops: warning: ${message}\n`)),
  );
  const validate = compiled();
  if (validate(record)) return record as unknown as RunRecord;
  // ajv lists at least one error whenever validation fails; the fallback only satisfies the types.
  const [first] = validate.errors ?? [];
  const { pointer, message } = first ? explain(first) : { pointer: '', message: 'does not match the schema' };
  throw new RecordError('invalid-record', `${where}: invalid run record at ${pointer || '/'}: ${message}`);
}

/** Holds written by the previous version carry the held text itself, which git cannot vouch for. */
function dropUnverifiableHolds(record: Record<string, unknown>, where: string, warn: (message: string) => void): void {
  const holds = record.holds;
  if (typeof holds !== 'object' || holds === null || Array.isArray(holds)) return;
  const old = Object.entries(holds as Record<string, unknown>)
    .filter(([, hold]) => typeof hold === 'object' && hold !== null && Object.hasOwn(hold, 'baseContent'))
    .map(([file]) => file);
  if (!old.length) return;
  const kept = Object.fromEntries(Object.entries(holds).filter(([file]) => !old.includes(file)));
  if (Object.keys(kept).length) record.holds = kept;
  else delete record.holds;
  warn(
    `${where}: dropped ${old.length} hold(s) of the previous record format (${old.map(safe).join(', ')}): a hold is now kept by git commit and blob, and a stored text cannot be verified against git`,
  );
}

function explain(err: ErrorObject): { pointer: string; message: string } {
  const pointer = safe(err.instancePath);
  const p = err.params as Record<string, unknown>;
  // A key of a map that breaks the key rule: ajv reports it at the map with the key beside.
  if (err.propertyName !== undefined)
    return {
      pointer: `${pointer}/${segment(err.propertyName)}`,
      message: `invalid key: expected a key that ${err.message ?? 'matches the schema'}`,
    };
  switch (err.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: `${pointer}/${segment(String(p.additionalProperty))}`,
        message: `unknown field${known.length ? `; expected one of ${known.join(', ')}` : ''}`,
      };
    }
    case 'required':
      return { pointer, message: `missing required field "${String(p.missingProperty)}"` };
    case 'type':
      return { pointer, message: `expected ${String(p.type).split(',').join(' or ')}, got ${typeName(err.data)}` };
    case 'propertyNames':
      return { pointer: `${pointer}/${segment(String(p.propertyName))}`, message: 'invalid key' };
    default:
      return { pointer, message: `expected a value that ${err.message ?? 'matches the schema'}` };
  }
}

/** A key as a JSON pointer segment (RFC 6901), safe to print. */
function segment(key: string): string {
  return safe(key.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** C0 and C1 controls (tab and newline too: a message is one line), DEL, and the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex -- matching control characters is what it is for
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Record text in a message: control and bidi characters escaped, at most 80 characters. */
function safe(text: string): string {
  const escaped = text.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}
