/**
 * The built-in catalog: `environments/*.yaml` in the labops package, loaded with the spec
 * loader and validated against the Environment schema. A broken catalog is never silently
 * shortened: every file, schema, duplicate and resolution problem is returned.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { sortProblems, type Problem } from '../model/problem.js';
import { packageRoot } from '../package-root.js';
import { loadFile, type LoadedDocument } from '../specs/load.js';
import type { Environment } from '../specs/types.js';
import { validateDocumentSchema } from '../specs/validate-schema.js';
import type { EnvironmentCandidate, EnvironmentOrigin } from './model.js';
import { indexCandidates, resolveEnvironment } from './resolve.js';

/** What loading a folder of Environment files produced. */
export interface CatalogLoad {
  /** Every valid Environment document, sorted by name then file order. */
  environments: EnvironmentCandidate[];
  /** Every problem found, sorted; an error means the folder is broken. */
  problems: Problem[];
}

/** The package's own `environments/` folder, from source or from the built `dist/` tree. */
export function defaultCatalogDir(): string {
  return join(packageRoot(), 'environments');
}

/** Loads and checks the built-in catalog (or the Environment files in `dir`). */
export function loadCatalog(dir: string = defaultCatalogDir()): CatalogLoad {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { environments: [], problems: [wholeFileProblem(dir, `cannot read environment catalog: ${code}`)] };
  }
  const documents: LoadedDocument[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const loaded = loadFile(join(dir, file), `environments/${file}`);
    documents.push(...loaded.documents);
    problems.push(...loaded.problems);
  }
  const checked = environmentsFromDocuments(documents, 'catalog');
  return { environments: checked.environments, problems: sortProblems([...problems, ...checked.problems]) };
}

/**
 * Turns loaded documents into candidates: schema-checks each, requires `kind: Environment`,
 * rejects a repeated name@version, and resolves every environment so a broken `inherits`
 * is reported where it is written.
 */
export function environmentsFromDocuments(
  documents: readonly LoadedDocument[],
  origin: EnvironmentOrigin,
): CatalogLoad {
  const problems: Problem[] = [];
  const environments: EnvironmentCandidate[] = [];
  const seen = new Map<string, string>();
  for (const doc of documents) {
    const schemaProblems = validateDocumentSchema(doc);
    if (schemaProblems.length > 0) {
      problems.push(...schemaProblems);
      continue;
    }
    if (doc.kind !== 'Environment') {
      problems.push(at(doc, [], `expected kind Environment here, found ${doc.kind ?? 'none'}`));
      continue;
    }
    const environment = doc.value as Environment;
    const id = `${environment.metadata.name}@${environment.metadata.version}`;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.push(at(doc, ['metadata', 'version'], `${id} is already defined in ${first}`));
      continue;
    }
    seen.set(id, doc.file);
    environments.push({ environment, origin, file: doc.file });
  }
  problems.push(...resolutionProblems(environments, documents));
  environments.sort((a, b) => compare(a.environment.metadata.name, b.environment.metadata.name));
  return { environments, problems: sortProblems(problems) };
}

function resolutionProblems(
  environments: readonly EnvironmentCandidate[],
  documents: readonly LoadedDocument[],
): Problem[] {
  const index = indexCandidates(environments);
  const problems: Problem[] = [];
  for (const candidate of environments) {
    const { name, version } = candidate.environment.metadata;
    const result = resolveEnvironment(`${name}@${version}`, index);
    if (result.ok) {
      continue;
    }
    const doc = documents.find((d) => d.value === candidate.environment);
    const path = candidate.environment.spec.inherits === undefined ? ['spec'] : ['spec', 'inherits'];
    problems.push(
      doc === undefined ? wholeFileProblem(candidate.file ?? name, result.message) : at(doc, path, result.message),
    );
  }
  return problems;
}

function at(doc: LoadedDocument, path: (string | number)[], message: string): Problem {
  const position = doc.positionOf(path, 'value');
  return {
    file: doc.file,
    line: position.line,
    column: position.column,
    path: path.join('.'),
    message,
    severity: 'error',
  };
}

function wholeFileProblem(file: string, message: string): Problem {
  return { file, line: 1, column: 1, path: '', message, severity: 'error' };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
