/**
 * Cost Explorer `Expression` filters (And / Or / Not / Dimensions / Tags) and `GroupBy` keys,
 * evaluated against usage segments. Dimensions labops sim knows: SERVICE, REGION, USAGE_TYPE,
 * INSTANCE_TYPE, LINKED_ACCOUNT, RECORD_TYPE; any other is refused rather than misanswered.
 */
import type { UsageSegment } from '../core/contract.js';
import { validationError } from './input.js';

/** Dimensions a filter or a group may use. */
export const CE_DIMENSIONS = ['SERVICE', 'REGION', 'USAGE_TYPE', 'INSTANCE_TYPE', 'LINKED_ACCOUNT', 'RECORD_TYPE'];

/** A checked filter: a predicate over segments. */
export type SegmentTest = (segment: UsageSegment) => boolean;

/** The value of a dimension for one segment. */
export function dimensionValue(segment: UsageSegment, key: string, accountId: string): string {
  switch (key) {
    case 'SERVICE':
      return segment.service;
    case 'REGION':
      return segment.region;
    case 'USAGE_TYPE':
      return segment.usageType;
    case 'INSTANCE_TYPE':
      return /BoxUsage:(.+)$/.exec(segment.usageType)?.[1] ?? 'NoInstanceType';
    case 'LINKED_ACCOUNT':
      return accountId;
    default:
      return 'Usage';
  }
}

function matchValue(actual: string, wanted: string, options: string[]): boolean {
  const sensitive = options.includes('CASE_SENSITIVE') || !options.includes('CASE_INSENSITIVE');
  const a = sensitive ? actual : actual.toLowerCase();
  const w = sensitive ? wanted : wanted.toLowerCase();
  if (options.includes('STARTS_WITH')) return a.startsWith(w);
  if (options.includes('ENDS_WITH')) return a.endsWith(w);
  if (options.includes('CONTAINS')) return a.includes(w);
  return a === w;
}

function readValues(
  node: Record<string, unknown>,
  where: string,
): { key: string; values: string[]; options: string[] } {
  const key = node.Key;
  if (typeof key !== 'string' || key === '') throw validationError(`${where}.Key is required.`);
  const values = Array.isArray(node.Values) ? node.Values.map(String) : [];
  const options = Array.isArray(node.MatchOptions) ? node.MatchOptions.map(String) : [];
  return { key, values, options };
}

function dimensionsTest(node: Record<string, unknown>, accountId: string): SegmentTest {
  const { key, values, options } = readValues(node, 'Dimensions');
  if (!CE_DIMENSIONS.includes(key)) throw validationError(`Dimension ${key} is not supported by labops sim.`);
  if (values.length === 0) throw validationError('Dimensions.Values must not be empty.');
  return (s) => values.some((v) => matchValue(dimensionValue(s, key, accountId), v, options));
}

function tagsTest(node: Record<string, unknown>): SegmentTest {
  const { key, values, options } = readValues(node, 'Tags');
  if (options.includes('ABSENT')) return (s) => (s.tags[key] ?? '') === '';
  // Without values, any resource carrying the key matches.
  if (values.length === 0) return (s) => s.tags[key] !== undefined;
  return (s) => values.some((v) => matchValue(s.tags[key] ?? '', v, options));
}

/**
 * Turns a filter `Expression` into a segment predicate.
 * @throws ValidationException unless each node has exactly one of And, Or, Not, Dimensions, Tags
 */
export function compileFilter(expression: unknown, accountId: string): SegmentTest {
  if (expression === undefined || expression === null) return () => true;
  const node = expression as Record<string, unknown>;
  const roots = ['And', 'Or', 'Not', 'Dimensions', 'Tags', 'CostCategories'].filter(
    (k) => node[k] !== undefined && node[k] !== null,
  );
  if (typeof node !== 'object' || roots.length !== 1) {
    throw validationError('Expression must have exactly one of And, Or, Not, Dimensions, Tags, CostCategories.');
  }
  const root = roots[0];
  if (root === 'And' || root === 'Or') {
    const parts = node[root];
    if (!Array.isArray(parts) || parts.length < 2) throw validationError(`${root} needs at least two expressions.`);
    const tests = parts.map((part) => compileFilter(part, accountId));
    return root === 'And' ? (s) => tests.every((t) => t(s)) : (s) => tests.some((t) => t(s));
  }
  if (root === 'Not') {
    const test = compileFilter(node.Not, accountId);
    return (s) => !test(s);
  }
  if (root === 'Dimensions') return dimensionsTest(node.Dimensions as Record<string, unknown>, accountId);
  if (root === 'Tags') return tagsTest(node.Tags as Record<string, unknown>);
  throw validationError('CostCategories filters are not supported by labops sim.');
}

/** A checked `GroupBy` entry. */
export interface CeGroupDefinition {
  Type: 'DIMENSION' | 'TAG';
  Key: string;
}

/** Reads `GroupBy`: at most two, TAG or DIMENSION. @throws ValidationException otherwise */
export function readGroupBy(value: unknown): CeGroupDefinition[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw validationError('GroupBy must be a list.');
  if (value.length > 2) throw validationError('You can only group by up to two different groups.');
  return value.map((item) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const key = typeof entry.Key === 'string' ? entry.Key : '';
    if (entry.Type === 'TAG' && key !== '') return { Type: 'TAG', Key: key };
    if (entry.Type === 'DIMENSION' && CE_DIMENSIONS.includes(key)) return { Type: 'DIMENSION', Key: key };
    throw validationError(
      `Group by ${String(entry.Type)} ${key} is not valid; use TAG or DIMENSION (${CE_DIMENSIONS.join(', ')}).`,
    );
  });
}

/** A segment's group key as Cost Explorer writes it: the dimension value, or `tag$value`. */
export function groupKey(segment: UsageSegment, group: CeGroupDefinition, accountId: string): string {
  if (group.Type === 'TAG') return `${group.Key}$${segment.tags[group.Key] ?? ''}`;
  return dimensionValue(segment, group.Key, accountId);
}
