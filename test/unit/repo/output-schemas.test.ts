/**
 * The schemas of labops' JSON outputs (`schemas/output/`) are a contract for scripts and for
 * people: they compile under ajv's strict mode, every object in them is closed (an added field is
 * a visible change) and every property described, their examples conform, and docs/cli.md links
 * each one. test/e2e/json-output.test.ts checks what the built CLI and the Action really print.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../reconciler/src/package-root.js';
import { OUTPUT_SCHEMA_DIR, outputAjv, outputChecker, outputSchemas } from '../../support/output-schemas.js';

type Node = Record<string, unknown>;

const schemas = outputSchemas();
const files = Object.keys(schemas);

/** Every schema node with its JSON pointer, through properties, definitions, items and alternatives. */
function walk(node: unknown, pointer: string, out: [string, Node][] = []): [string, Node][] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return out;
  out.push([pointer, node as Node]);
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' || key === 'definitions')
      for (const [name, sub] of Object.entries(child as Node)) walk(sub, `${pointer}/${key}/${name}`, out);
    else if (key === 'items' || key === 'additionalProperties') walk(child, `${pointer}/${key}`, out);
    else if (key === 'oneOf' || key === 'anyOf')
      (child as unknown[]).forEach((sub, i) => walk(sub, `${pointer}/${key}/${i}`, out));
  }
  return out;
}

/** The node a `$ref` names, from the output schema `file` it appears in (other files by relative path). */
function resolve(file: string, ref: string): Node | undefined {
  const [target = '', pointer = ''] = ref.split('#');
  const path = target === '' ? join(OUTPUT_SCHEMA_DIR, file) : join(OUTPUT_SCHEMA_DIR, target);
  let node: unknown = JSON.parse(readFileSync(path, 'utf8'));
  for (const part of pointer.split('/').filter(Boolean)) node = (node as Node | undefined)?.[part];
  return node as Node | undefined;
}

const nodes: [string, Node, string][] = files.flatMap((f) =>
  walk(schemas[f], f).map(([pointer, node]): [string, Node, string] => [pointer, node, f]),
);

describe('schemas/output', () => {
  it("each has an $id under the spec schemas' base and a title", () => {
    for (const f of files) {
      expect(schemas[f]!.$id).toBe(`https://labops.dev/schemas/v1/output/${f}`);
      expect(schemas[f]!.title).toEqual(expect.any(String));
    }
  });

  it('compile under ajv strict mode, with the spec schemas they refer to', () => {
    const ajv = outputAjv();

    for (const f of files) expect(() => ajv.getSchema(`https://labops.dev/schemas/v1/output/${f}`)).not.toThrow();
  });

  it.each(nodes.filter(([, n]) => n.type === 'object'))('%s is closed', (_pointer, node) => {
    const closed = node.additionalProperties === false || typeof node.additionalProperties === 'object';

    expect(closed).toBe(true);
  });

  it.each(nodes.filter(([p]) => /\/properties\/[^/]+$/.test(p)))(
    '%s has a description (directly or through its $ref)',
    (_pointer, node, file) => {
      const target = typeof node.$ref === 'string' ? resolve(file, node.$ref) : undefined;

      expect(node.description ?? target?.description).toEqual(expect.any(String));
    },
  );

  it.each(files.filter((f) => Array.isArray(schemas[f]!.examples)))('%s: its examples conform', (file) => {
    const check = outputChecker();

    const errors = (schemas[file]!.examples as unknown[]).flatMap((example) =>
      check(file.replace('.schema.json', ''), example),
    );

    expect(errors).toEqual([]);
  });

  it('reject what they do not describe: an unknown field, a wrong type, a missing field', () => {
    const check = outputChecker();
    const valid = { valid: true, errors: 0, warnings: 0, files: ['labops.yaml'], problems: [] };

    const results = [
      check('validate', valid),
      check('validate', { ...valid, extra: 1 }),
      check('validate', { ...valid, errors: '0' }),
      check('validate', { valid: true }),
    ];

    expect(results.map((errors) => errors.length > 0)).toEqual([false, true, true, true]);
  });

  it('are each linked from docs/cli.md', () => {
    const cli = readFileSync(join(packageRoot(), 'docs/cli.md'), 'utf8');

    const unlinked = files.filter((f) => f !== 'common.schema.json' && !cli.includes(`schemas/output/${f}`));

    expect(unlinked).toEqual([]);
  });
});
