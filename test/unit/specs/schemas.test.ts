/**
 * The schemas are the contract: every object closed (`additionalProperties: false` or a typed
 * map), every pattern bounded by `maxLength`, every array by `maxItems`, every property
 * described for editors, an `$id` on each (the spec kinds and the run record); and the committed
 * TypeScript types are fresh.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';

const dir = join(packageRoot(), 'schemas');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.schema.json'))
  .sort();
const schemas = Object.fromEntries(
  files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>]),
);

type Node = Record<string, unknown>;

/** Every schema node with its JSON pointer. */
function walk(node: unknown, pointer: string, out: [string, Node][] = []): [string, Node][] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return out;
  out.push([pointer, node as Node]);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' || key === 'definitions')
      for (const [name, sub] of Object.entries(child as Node)) walk(sub, `${pointer}/${key}/${name}`, out);
    else if (key === 'items' || key === 'additionalProperties' || key === 'propertyNames')
      walk(child, `${pointer}/${key}`, out);
    else if (key === 'oneOf' || key === 'anyOf')
      (child as unknown[]).forEach((sub, i) => walk(sub, `${pointer}/${key}/${i}`, out));
  }
  return out;
}

const nodes = files.flatMap((f) => walk(schemas[f], f));

describe('schemas', () => {
  it('cover every kind in specs.md, each with an $id under one base', () => {
    expect(files).toEqual([
      'budget.schema.json',
      'common.schema.json',
      'environment-image.schema.json',
      'environment.schema.json',
      'job-queue.schema.json',
      'job.schema.json',
      'lab.schema.json',
      'run-record.schema.json',
      'saved-plan.schema.json',
      'snapshot-schedule.schema.json',
      'workstation.schema.json',
    ]);
    for (const f of files) expect(schemas[f]!.$id).toBe(`https://labops.dev/schemas/v1/${f}`);
  });

  it('compile under ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
    ajv.addKeyword('tsType');
    formats.default(ajv, ['date-time']);
    ajv.addSchema(schemas['common.schema.json']!);

    for (const f of files.filter((x) => x !== 'common.schema.json'))
      expect(() => ajv.compile(schemas[f]!)).not.toThrow();
  });

  it.each(nodes.filter(([, n]) => n.type === 'object'))('%s is closed', (_pointer, node) => {
    const closed =
      node.additionalProperties === false ||
      (typeof node.additionalProperties === 'object' && node.maxProperties !== undefined);

    expect(closed).toBe(true);
  });

  it.each(nodes.filter(([, n]) => n.pattern !== undefined))('%s pairs its pattern with maxLength', (_pointer, node) => {
    expect(node.maxLength).toEqual(expect.any(Number));
  });

  it.each(nodes.filter(([, n]) => n.type === 'array'))('%s bounds its items with maxItems', (_pointer, node) => {
    expect(node.maxItems).toEqual(expect.any(Number));
  });

  it.each(nodes.filter(([p]) => /\/properties\/[^/]+$/.test(p)))(
    '%s has a description (directly or through its $ref)',
    (_pointer, node) => {
      const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
      const target = ref
        ? (schemas['common.schema.json']!.definitions as Record<string, Node>)[ref.split('/').pop()!]
        : undefined;

      expect(node.description ?? target?.description).toEqual(expect.any(String));
    },
  );
});

describe('generated types', () => {
  it('match what json-schema-to-typescript makes from the schemas today', () => {
    const run = (): string =>
      execFileSync(process.execPath, [join(packageRoot(), 'scripts/gen-types.mjs'), '--check'], { encoding: 'utf8' });

    expect(run).not.toThrow();
  });
});
