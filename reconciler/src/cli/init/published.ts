/**
 * Where labops is published: the one place that names the GitHub repository and the moving major
 * tag a lab refers to — the Action (`uses:`), the JSON Schemas of the spec modelines, the AWS
 * policy files. docs/releasing.md says how the tag moves; change these when publishing elsewhere.
 */
import { SCHEMA_FILES } from '../../specs/types.js';
import type { SpecKind } from '../../specs/types.js';

/** The GitHub repository labops is released from (the Action's `owner/name`). */
export const PUBLISHED_REPO = 'lab-org/labops';

/** The moving major tag labs follow: it always points at the newest v1.x.y release. */
export const PUBLISHED_MAJOR = 'v1';

/** The Action as a lab's workflows name it. */
export const ACTION_REF = `${PUBLISHED_REPO}@${PUBLISHED_MAJOR}`;

/** The URL of a file of the published release (`schemas/lab.schema.json`, `examples/aws/…`), served by GitHub. */
export function publishedUrl(path: string): string {
  return `https://raw.githubusercontent.com/${PUBLISHED_REPO}/${PUBLISHED_MAJOR}/${path}`;
}

/** The first line of a spec of `kind`: editors that run yaml-language-server check the file against its schema. */
export function schemaModeline(kind: SpecKind): string {
  return `# yaml-language-server: $schema=${publishedUrl(`schemas/${SCHEMA_FILES[kind]}`)}`;
}

/** A page of the published release on GitHub (`docs/action.md`), for people to read. */
export function publishedPage(path: string): string {
  return `https://github.com/${PUBLISHED_REPO}/blob/${PUBLISHED_MAJOR}/${path}`;
}
