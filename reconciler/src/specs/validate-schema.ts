/**
 * JSON Schema validation of one loaded document against its kind's schema, turning ajv's
 * errors into problems with the exact line of the offending field and a message a person
 * can act on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { formatPath } from '../model/problem.js';
import type { FieldPath, Problem } from '../model/problem.js';
import { didYouMean } from '../model/suggest.js';
import { packageRoot } from '../package-root.js';
import { SPEC_KINDS, SCHEMA_FILES } from './types.js';
import type { SpecKind } from './types.js';
import { isRecord } from './load.js';
import type { LoadedDocument } from './load.js';

const API_VERSION = 'labops/v1';

let validators: Record<SpecKind, ValidateFunction> | undefined;

/** Compiles every kind's schema once per process. */
function compiled(): Record<SpecKind, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, strictTuples: false });
  const dir = join(packageRoot(), 'schemas');
  const read = (file: string): object => JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
  ajv.addSchema(read('common.schema.json'));
  const byKind = Object.fromEntries(SPEC_KINDS.map((kind) => [kind, ajv.compile(read(SCHEMA_FILES[kind]))]));
  validators = byKind as Record<SpecKind, ValidateFunction>;
  return validators;
}

/** Problems with a document's shape: apiVersion, kind and everything its schema says. */
export function validateDocumentSchema(doc: LoadedDocument): Problem[] {
  const problem = (path: FieldPath, message: string, target: 'key' | 'value' = 'value'): Problem => ({
    file: doc.file,
    ...doc.positionOf(path, target),
    path: formatPath(path),
    message,
    severity: 'error',
  });
  if (!isRecord(doc.value))
    return [problem([], 'a spec document must be a mapping with apiVersion, kind, metadata and spec')];
  const { apiVersion, kind } = doc.value;
  if (apiVersion !== API_VERSION) {
    const got = apiVersion === undefined ? 'missing' : JSON.stringify(apiVersion);
    return [
      problem(apiVersion === undefined ? [] : ['apiVersion'], `apiVersion must be "${API_VERSION}" (got ${got})`),
    ];
  }
  if (typeof kind !== 'string' || !(SPEC_KINDS as readonly string[]).includes(kind)) {
    const got = kind === undefined ? 'missing' : JSON.stringify(kind);
    const hint = typeof kind === 'string' ? didYouMean(kind, SPEC_KINDS) : '';
    return [
      problem(
        kind === undefined ? [] : ['kind'],
        `unknown kind ${got}${hint}; expected one of ${SPEC_KINDS.join(', ')}`,
      ),
    ];
  }
  const validate = compiled()[kind as SpecKind];
  if (validate(doc.value)) return [];
  return relevantErrors(validate.errors ?? [], doc.value).map((err) => toProblem(err, problem));
}

type MakeProblem = (path: FieldPath, message: string, target?: 'key' | 'value') => Problem;

function toProblem(err: ErrorObject, problem: MakeProblem): Problem {
  const path = pointerToPath(err.instancePath);
  const field = path.length ? formatPath(path) : 'document';
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const known = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const where = path.length ? ` in ${field}` : '';
      const hint = didYouMean(key, known) || (known.length ? `; allowed: ${known.join(', ')}` : '');
      return problem([...path, key], `unknown field "${key}"${where}${hint}`, 'key');
    }
    case 'required':
      return problem(
        path,
        `missing required field "${String(p.missingProperty)}"${path.length ? ` in ${field}` : ''}`,
        'key',
      );
    case 'type':
      return problem(path, `${field} must be ${article(String(p.type))}, got ${describe(err.data)}`);
    case 'enum':
      return problem(
        path,
        `${field} must be one of ${(p.allowedValues as unknown[]).join(', ')} (got ${describe(err.data)})${didYouMean(String(err.data), (p.allowedValues as unknown[]).map(String))}`,
      );
    case 'const': {
      const why =
        (err.parentSchema as { description?: string } | undefined)?.description === undefined
          ? ''
          : `: ${firstSentence(err.parentSchema).replace(/\s*@default.*$/, '')}`;
      return problem(path, `${field} must be ${JSON.stringify(p.allowedValue)} (got ${describe(err.data)})${why}`);
    }
    case 'pattern':
      return problem(path, `${field} ${describe(err.data)} is not valid: ${firstSentence(err.parentSchema)}`);
    case 'maxLength':
    case 'minLength':
      return problem(
        path,
        `${field} must be ${err.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(p.limit)} characters long`,
      );
    case 'maxItems':
    case 'minItems':
      return problem(
        path,
        `${field} must have ${err.keyword === 'maxItems' ? 'at most' : 'at least'} ${String(p.limit)} items`,
      );
    case 'maxProperties':
    case 'minProperties':
      return problem(path, `${field} ${propertiesMessage(err)}`);
    case 'uniqueItems':
      return problem(
        [...path, Number(p.j)],
        `${field} has a duplicate item (items ${String(p.i)} and ${String(p.j)} are the same)`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return problem(path, `${field} must be ${String(p.comparison)} ${String(p.limit)} (got ${describe(err.data)})`);
    case 'propertyNames':
      return problem(
        [...path, String(p.propertyName)],
        `${field} has an invalid key "${String(p.propertyName)}"`,
        'key',
      );
    case 'oneOf':
      return problem(path, `${field} must be either a string "name:revision" or an inline definition`);
    default:
      return problem(path, `${field} ${err.message ?? 'is invalid'}`);
  }
}

/**
 * Drops the noise ajv reports for `oneOf` and `propertyNames`: keeps the errors of the branch
 * whose type matches the data, and reports a bad key once rather than twice.
 */
function relevantErrors(errors: ErrorObject[], root: unknown): ErrorObject[] {
  const oneOfs = new Map<string, ErrorObject>();
  for (const err of errors) if (err.keyword === 'oneOf') oneOfs.set(err.schemaPath.replace(/\/oneOf$/, ''), err);
  const explained = new Set<ErrorObject>();
  const out: ErrorObject[] = [];
  for (const err of errors) {
    if (err.keyword === 'oneOf') continue;
    if (err.keyword === 'pattern' && err.propertyName !== undefined) continue;
    const branch = /\/oneOf\/(\d+)\//.exec(err.schemaPath);
    const parent = branch ? oneOfs.get(err.schemaPath.slice(0, branch.index)) : undefined;
    if (branch && parent) {
      const options = (parent.parentSchema as { oneOf?: { type?: string }[] } | undefined)?.oneOf ?? [];
      const data = valueAt(root, pointerToPath(parent.instancePath));
      if (options[Number(branch[1])]?.type !== jsonType(data)) continue;
      explained.add(parent);
    }
    out.push(err);
  }
  for (const err of oneOfs.values()) if (!explained.has(err)) out.push(err);
  return out;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let node = root;
  for (const part of path)
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return type
    .split(',')
    .map((t) => names[t] ?? t)
    .join(' or ');
}

function firstSentence(schema: unknown): string {
  const text = (schema as { description?: string } | undefined)?.description ?? 'it does not match the required format';
  const sentence = (text.split(/(?<=\.)\s+(?=[A-Z])/)[0] ?? '').replace(/\.$/, '');
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function propertiesMessage(err: ErrorObject): string {
  const names = Object.keys((err.parentSchema as { properties?: object } | undefined)?.properties ?? {});
  if (err.keyword === 'maxProperties' && (err.params as { limit: number }).limit === 1 && names.length) {
    return `must set exactly one of ${names.join(', ')}`;
  }
  if (err.keyword === 'minProperties' && names.length) return `must set at least one of ${names.join(', ')}`;
  return err.message ?? 'has the wrong number of fields';
}
