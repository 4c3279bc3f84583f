/**
 * EC2 `Filters`: names AND-ed, values OR-ed, case-sensitive, with `*` and `?` wildcards, plus the
 * tag filters every resource shares (`tag:<key>`, `tag-key`, `tag-value`).
 */
import { SimError } from '../core/contract.js';

/** A filter ready to test: its name and a matcher for its values. */
export interface CompiledFilter {
  name: string;
  test: (value: string) => boolean;
}

/** Reads a resource's values for a filter name; undefined when the name is not a known filter. */
export type FilterAccessor<T> = (item: T, name: string) => readonly (string | undefined)[] | undefined;

function matcher(values: string[]): (value: string) => boolean {
  const exact = new Set(values.filter((v) => !/[*?]/.test(v)));
  const patterns = values
    .filter((v) => /[*?]/.test(v))
    .map(
      (v) =>
        new RegExp(
          `^${v
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.')}$`,
          's',
        ),
    );
  return (value) => exact.has(value) || patterns.some((re) => re.test(value));
}

/** Most values one filter takes in a call (EC2: `FilterLimitExceeded` beyond it). */
export const MAX_FILTER_VALUES = 200;

/**
 * Compiles `Filters` from a request.
 * @throws {SimError} `InvalidParameterValue` for a filter without a name; `FilterLimitExceeded` for
 * a filter with more than 200 values
 */
export function compileFilters(input: Record<string, unknown>): CompiledFilter[] {
  const filters = input.Filters;
  if (!Array.isArray(filters)) return [];
  return (filters as { Name?: string; Values?: string[] }[]).map((f) => {
    if (typeof f.Name !== 'string') throw new SimError('InvalidParameterValue', 'The filter Name must be specified');
    if (Array.isArray(f.Values) && f.Values.length > MAX_FILTER_VALUES)
      throw new SimError(
        'FilterLimitExceeded',
        `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES}`,
      );
    return { name: f.Name, test: matcher(Array.isArray(f.Values) ? f.Values.map(String) : []) };
  });
}

/** Values of the shared tag filters, or undefined when `name` is not one of them. */
export function tagFilterValues(tags: Record<string, string>, name: string): string[] | undefined {
  if (name.startsWith('tag:')) {
    const value = tags[name.slice(4)];
    return value === undefined ? [] : [value];
  }
  if (name === 'tag-key') return Object.keys(tags);
  if (name === 'tag-value') return Object.values(tags);
  return undefined;
}

/**
 * A predicate over resources for the compiled filters.
 * @throws {SimError} `InvalidParameterValue` naming an unknown filter (checked on the first item)
 */
export function filterPredicate<T>(filters: CompiledFilter[], accessor: FilterAccessor<T>): (item: T) => boolean {
  if (filters.length === 0) return () => true;
  return (item) => {
    for (const filter of filters) {
      const values = accessor(item, filter.name);
      if (values === undefined) throw new SimError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
      if (!values.some((v) => v !== undefined && filter.test(v))) return false;
    }
    return true;
  };
}

/**
 * Rejects unknown filter names up front, even when there is nothing to filter.
 * @throws {SimError} `InvalidParameterValue` naming the first unknown filter
 */
export function checkFilterNames(filters: CompiledFilter[], known: ReadonlySet<string>): void {
  for (const filter of filters) {
    if (known.has(filter.name) || tagFilterValues({}, filter.name) !== undefined) continue;
    throw new SimError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
  }
}
