/**
 * Decodes an AWS Query / EC2 Query form body (`InstanceId.1=i-…&Filter.1.Name=tag:team`) into
 * the input object the SDK started from (`{ InstanceIds: ['i-…'], Filters: [{ Name: 'tag:team' }] }`),
 * walking the operation's input schema from the SDK so member names, list encodings and types
 * match the real service exactly.
 */
import { NormalizedSchema } from '@smithy/core/schema';
import { SimError } from '../core/contract.js';

/** One node of the dotted-key tree a form body describes. */
interface FormNode {
  value?: string;
  children: Map<string, FormNode>;
}

/** Which Query dialect: EC2 flattens lists and uses `ec2QueryName`; awsQuery uses `.member.N`. */
export type QueryDialect = 'ec2' | 'query';

/** Parses a form-encoded body into its parameters; repeated keys keep the last value. */
export function parseForm(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(body)) out.set(key, value);
  return out;
}

function buildTree(params: Map<string, string>): FormNode {
  const root: FormNode = { children: new Map() };
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    let node = root;
    for (const part of key.split('.')) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = { children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    node.value = value;
  }
  return root;
}

function memberKey(name: string, ns: NormalizedSchema, dialect: QueryDialect): string {
  const traits = ns.getMergedTraits() as { xmlName?: string; ec2QueryName?: string };
  if (dialect === 'ec2') {
    if (traits.ec2QueryName) return traits.ec2QueryName;
    const key = traits.xmlName ?? name;
    return key.charAt(0).toUpperCase() + key.slice(1);
  }
  return traits.xmlName ?? name;
}

function indexed(node: FormNode, path: string): FormNode[] {
  const entries = [...node.children.entries()];
  for (const [index] of entries) {
    if (!/^[1-9]\d*$/.test(index)) {
      throw new SimError('InvalidParameterValue', `Invalid list index "${index}" in parameter ${path}`);
    }
  }
  entries.sort((a, b) => Number(a[0]) - Number(b[0]));
  return entries.map(([, child]) => child);
}

function decodeScalar(ns: NormalizedSchema, text: string, path: string): unknown {
  if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) {
      throw new SimError(
        'InvalidParameterValue',
        `Value (${text}) for parameter ${path} is invalid. Expected a number.`,
      );
    }
    return n;
  }
  if (ns.isBooleanSchema()) {
    if (text !== 'true' && text !== 'false') {
      throw new SimError(
        'InvalidParameterValue',
        `Value (${text}) for parameter ${path} is invalid. Expected true or false.`,
      );
    }
    return text === 'true';
  }
  if (ns.isTimestampSchema() && Number.isNaN(Date.parse(text))) {
    throw new SimError(
      'InvalidParameterValue',
      `Value (${text}) for parameter ${path} is invalid. Expected a timestamp.`,
    );
  }
  return text;
}

function decodeNode(ns: NormalizedSchema, node: FormNode, path: string, dialect: QueryDialect): unknown {
  if (ns.isListSchema()) {
    const holder = dialect === 'ec2' || ns.getMergedTraits().xmlFlattened ? node : node.children.get('member');
    if (holder === undefined) return [];
    return indexed(holder, path).map((child, i) => decodeNode(ns.getValueSchema(), child, `${path}.${i + 1}`, dialect));
  }
  if (ns.isMapSchema()) {
    const holder = ns.getMergedTraits().xmlFlattened ? node : (node.children.get('entry') ?? node);
    const out: Record<string, unknown> = {};
    for (const entry of indexed(holder, path)) {
      const key = entry.children.get('key')?.value ?? entry.children.get('Key')?.value;
      const value = entry.children.get('value') ?? entry.children.get('Value');
      if (key !== undefined && value !== undefined) out[key] = decodeNode(ns.getValueSchema(), value, path, dialect);
    }
    return out;
  }
  if (ns.isStructSchema()) return decodeStruct(ns, node, path, dialect);
  return decodeScalar(ns, node.value ?? '', path);
}

function decodeStruct(
  ns: NormalizedSchema,
  node: FormNode,
  path: string,
  dialect: QueryDialect,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const [name, member] of ns.structIterator()) {
    const key = memberKey(name, member, dialect);
    known.add(key);
    const child = node.children.get(key);
    if (child === undefined) continue;
    out[name] = decodeNode(member, child, path ? `${path}.${key}` : key, dialect);
  }
  for (const key of node.children.keys()) {
    if (!known.has(key)) {
      throw new SimError('UnknownParameter', `The parameter ${path ? `${path}.${key}` : key} is not recognized`);
    }
  }
  return out;
}

/**
 * Decodes the form parameters of one request against the operation's input schema.
 * @throws {SimError} `InvalidParameterValue` / `UnknownParameter` for malformed input.
 */
export function decodeQueryInput(
  inputSchema: unknown,
  params: Map<string, string>,
  dialect: QueryDialect,
): Record<string, unknown> {
  const ns = NormalizedSchema.of(inputSchema as Parameters<typeof NormalizedSchema.of>[0]);
  if (!ns.isStructSchema()) return {};
  return decodeStruct(ns, buildTree(params), '', dialect);
}
