/**
 * The JSON Schemas of labops' JSON outputs (`schemas/output/`), loaded into one strict ajv with
 * the spec schemas they refer to (the Environment spec, the run record's definitions), so a test
 * can check what the built CLI or the bundled Action printed against the documented shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import formats from 'ajv-formats';
import { packageRoot } from '../../reconciler/src/package-root.js';

/** Folder of the output schemas. */
export const OUTPUT_SCHEMA_DIR = join(packageRoot(), 'schemas/output');

/** Every output schema, by file name (`plan.schema.json` …). */
export function outputSchemas(): Record<string, Record<string, unknown>> {
  const files = readdirSync(OUTPUT_SCHEMA_DIR)
    .filter((f) => f.endsWith('.schema.json'))
    .sort();
  return Object.fromEntries(
    files.map((f) => [f, JSON.parse(readFileSync(join(OUTPUT_SCHEMA_DIR, f), 'utf8')) as Record<string, unknown>]),
  );
}

/** The spec schemas the output schemas refer to. */
const REFERENCED = ['common.schema.json', 'environment.schema.json', 'run-record.schema.json'];

/** One strict ajv holding every output schema and the spec schemas they refer to. */
export function outputAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  ajv.addKeyword('tsType');
  formats.default(ajv, ['date-time', 'date']);
  for (const file of REFERENCED)
    ajv.addSchema(JSON.parse(readFileSync(join(packageRoot(), 'schemas', file), 'utf8')) as Record<string, unknown>);
  for (const schema of Object.values(outputSchemas())) ajv.addSchema(schema);
  return ajv;
}

/** Checks one document against `schemas/output/NAME.schema.json`. */
export type OutputCheck = (name: string, document: unknown) => ErrorObject[];

/** A checker over {@link outputAjv}: the schema errors of a document, none when it conforms. */
export function outputChecker(ajv: Ajv = outputAjv()): OutputCheck {
  return (name, document) => {
    const validate = ajv.getSchema(`https://labops.dev/schemas/v1/output/${name}.schema.json`);
    if (validate === undefined) throw new Error(`no output schema ${name}`);
    return validate(document) ? [] : [...(validate.errors ?? [])];
  };
}
