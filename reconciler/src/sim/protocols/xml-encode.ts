/**
 * Encodes a handler's result as the XML the EC2 Query and AWS Query protocols reply with,
 * walking the SDK's output schema (element names from `xmlName`, lists as `<item>` or
 * `<member>`). Shapes are compiled once and cached, and output is built as string parts joined
 * once, so a page of 1,000 instances stays cheap.
 */
import { NormalizedSchema } from '@smithy/core/schema';

type Shape = StructShape | ListShape | MapShape | ScalarShape;

interface StructShape {
  kind: 'struct';
  members: Map<string, { element: string; shape: () => Shape }>;
}
interface ListShape {
  kind: 'list';
  item: string;
  flattened: boolean;
  shape: () => Shape;
}
interface MapShape {
  kind: 'map';
  shape: () => Shape;
}
interface ScalarShape {
  kind: 'timestamp' | 'other';
}

const cache = new Map<string, Shape>();

function lazy(ns: NormalizedSchema): () => Shape {
  let shape: Shape | undefined;
  return () => (shape ??= compile(ns));
}

function compile(ns: NormalizedSchema): Shape {
  const name = ns.getName(true);
  const cacheable = typeof name === 'string' && name.includes('#');
  const cached = cacheable ? cache.get(name) : undefined;
  if (cached) return cached;
  let shape: Shape;
  if (ns.isListSchema()) {
    const value = ns.getValueSchema();
    const traits = ns.getMergedTraits() as { xmlFlattened?: unknown };
    const item = (value.getMergedTraits() as { xmlName?: string }).xmlName ?? 'member';
    shape = { kind: 'list', item, flattened: Boolean(traits.xmlFlattened), shape: lazy(value) };
  } else if (ns.isMapSchema()) {
    shape = { kind: 'map', shape: lazy(ns.getValueSchema()) };
  } else if (ns.isStructSchema()) {
    const members: StructShape['members'] = new Map();
    shape = { kind: 'struct', members };
    if (cacheable) cache.set(name, shape);
    for (const [memberName, member] of ns.structIterator()) {
      const element = (member.getMemberTraits() as { xmlName?: string }).xmlName ?? memberName;
      members.set(memberName, { element, shape: lazy(member) });
    }
  } else {
    shape = { kind: ns.isTimestampSchema() ? 'timestamp' : 'other' };
  }
  if (cacheable) cache.set(name, shape);
  return shape;
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  if (!/[&<>"']/.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function scalarText(shape: Shape, value: unknown): string {
  if (shape.kind === 'timestamp') {
    const date = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(date.getTime()) ? escapeXml(String(value)) : date.toISOString();
  }
  return escapeXml(String(value));
}

function writeValue(shape: Shape, value: unknown, element: string, out: string[]): void {
  if (value === undefined || value === null) return;
  if (shape.kind === 'list') {
    if (!Array.isArray(value)) return;
    const itemShape = shape.shape();
    if (shape.flattened) {
      for (const item of value) writeValue(itemShape, item, element, out);
      return;
    }
    out.push(`<${element}>`);
    for (const item of value) writeValue(itemShape, item, shape.item, out);
    out.push(`</${element}>`);
  } else if (shape.kind === 'struct') {
    out.push(`<${element}>`);
    writeMembers(shape, value as Record<string, unknown>, out);
    out.push(`</${element}>`);
  } else if (shape.kind === 'map') {
    out.push(`<${element}>`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out.push(`<entry><key>${escapeXml(k)}</key>`);
      writeValue(shape.shape(), v, 'value', out);
      out.push('</entry>');
    }
    out.push(`</${element}>`);
  } else {
    out.push(`<${element}>${scalarText(shape, value)}</${element}>`);
  }
}

function writeMembers(shape: StructShape, value: Record<string, unknown>, out: string[]): void {
  for (const key of Object.keys(value)) {
    const member = shape.members.get(key);
    if (member !== undefined) writeValue(member.shape(), value[key], member.element, out);
  }
}

/** Writes the members of `value` (a structure of `outputSchema`) as XML elements into `out`. */
export function writeXmlMembers(outputSchema: unknown, value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') return;
  const shape = compile(NormalizedSchema.of(outputSchema as Parameters<typeof NormalizedSchema.of>[0]));
  if (shape.kind === 'struct') writeMembers(shape, value as Record<string, unknown>, out);
}
