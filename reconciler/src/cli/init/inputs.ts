/**
 * The values `labops init` asks for, checked by the Lab schema's own patterns (read from
 * `schemas/`), so init never writes a labops.yaml that `labops validate` would refuse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';

/** What a new lab's labops.yaml needs. */
export interface InitInputs {
  /** The Lab's `metadata.name` (also the example's project and budget). */
  name: string;
  /** `spec.aws.accountId`. */
  account: string;
  /** `spec.aws.regions`; the first is `defaultRegion`. */
  regions: string[];
  /** `spec.admins`: GitHub logins. */
  admins: string[];
  /** `spec.id`: the lab's id, the `labops:repo` tag value. @default none written (derived at each run) */
  id?: string;
}

/** One input: its flag, what it is, an example, and the schema's rule for it. */
export interface InputRule {
  flag: '--name' | '--account' | '--region' | '--admin';
  /** What a value is, for messages and prompts. */
  what: string;
  example: string;
  pattern: RegExp;
  maxLength: number;
  /** Most values of a repeatable flag (the schema's maxItems). */
  maxItems?: number;
}

interface SchemaString {
  pattern: string;
  maxLength: number;
}

type Json = Record<string, unknown>;

function readSchema(file: string): Json {
  return JSON.parse(readFileSync(join(packageRoot(), 'schemas', file), 'utf8')) as Json;
}

/** The node at `path` of a schema, which must be a string rule with a pattern and a maximum length. */
function stringRule(schema: Json, path: string[]): SchemaString {
  let node: unknown = schema;
  for (const key of path) node = (node as Json)[key];
  const { pattern, maxLength } = node as Partial<SchemaString>;
  if (typeof pattern !== 'string' || typeof maxLength !== 'number')
    throw new Error(`schemas: no string pattern at ${path.join('.')}`);
  return { pattern, maxLength };
}

function arrayMax(schema: Json, path: string[]): number {
  let node: unknown = schema;
  for (const key of path) node = (node as Json)[key];
  return (node as { maxItems: number }).maxItems;
}

/** The rules of the four inputs, from schemas/lab.schema.json and schemas/common.schema.json. */
export function inputRules(): Record<Exclude<keyof InitInputs, 'id'>, InputRule> {
  const common = readSchema('common.schema.json');
  const lab = readSchema('lab.schema.json');
  const rule = (s: SchemaString) => ({ pattern: new RegExp(s.pattern, 'u'), maxLength: s.maxLength });
  const aws = ['properties', 'spec', 'properties', 'aws', 'properties'];
  return {
    name: {
      flag: '--name',
      what: 'a lab name: lowercase letters, digits and hyphens, 1-63 characters, starting and ending with a letter or digit',
      example: 'hartley-lab',
      ...rule(stringRule(common, ['definitions', 'name'])),
    },
    account: {
      flag: '--account',
      what: 'a 12-digit AWS account id',
      example: '123456789012',
      ...rule(stringRule(lab, [...aws, 'accountId'])),
    },
    regions: {
      flag: '--region',
      what: 'an AWS Region code',
      example: 'us-west-2',
      maxItems: arrayMax(lab, [...aws, 'regions']),
      ...rule(stringRule(common, ['definitions', 'region'])),
    },
    admins: {
      flag: '--admin',
      what: 'a GitHub login, without the leading @',
      example: 'pi-login',
      maxItems: arrayMax(lab, ['properties', 'spec', 'properties', 'admins']),
      ...rule(stringRule(common, ['definitions', 'login'])),
    },
  };
}

/** Why `value` is not acceptable for `rule`, in one line; undefined when it is. */
export function checkValue(rule: InputRule, value: string): string | undefined {
  if (value.length <= rule.maxLength && rule.pattern.test(value)) return undefined;
  const hint = rule.flag === '--admin' && value.startsWith('@') ? ` (write ${value.slice(1)})` : '';
  return `${rule.flag} ${JSON.stringify(value)} is not ${rule.what}, e.g. ${rule.example}${hint}`;
}

/** Why a list of values of a repeatable flag is not acceptable (duplicates, too many); undefined when it is. */
export function checkList(rule: InputRule, values: string[]): string | undefined {
  for (const value of values) {
    const problem = checkValue(rule, value);
    if (problem) return problem;
  }
  const twice = values.find((value, i) => values.indexOf(value) !== i);
  if (twice !== undefined) return `${rule.flag} ${JSON.stringify(twice)} is given twice`;
  if (rule.maxItems !== undefined && values.length > rule.maxItems)
    return `${rule.flag} is given ${values.length} times; a lab lists at most ${rule.maxItems}`;
  return undefined;
}
