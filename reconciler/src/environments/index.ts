/**
 * Research environments: the built-in catalog, `name@range` resolution with inheritance,
 * and deterministic cloud-init rendering.
 */
export type {
  EnvironmentArchitecture,
  EnvironmentCandidate,
  EnvironmentOrigin,
  EnvironmentOs,
  EnvironmentRef,
  ResolveResult,
  ResolvedEnvironment,
} from './model.js';
export { formatEnvironmentRef, parseEnvironmentRef, pickVersion, sortVersions, type ParseRefResult } from './ref.js';
export { mergeEnvironments } from './merge.js';
export { mergePackageList, packageKey, type PackageKey, type PackageListKind } from './package-keys.js';
export { indexCandidates, resolveEnvironment, selectCandidate, type CandidateIndex } from './resolve.js';
export { defaultCatalogDir, environmentsFromDocuments, loadCatalog, type CatalogLoad } from './catalog.js';
export { renderUserData, USER_DATA_LIMIT_BYTES, type RenderOptions } from './user-data.js';
export type { IdleAgentOptions } from './idle-agent.js';
export { WELL_KNOWN_SERVICES } from './services.js';
