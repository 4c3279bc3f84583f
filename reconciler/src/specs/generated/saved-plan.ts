/* Generated from schemas/ by `npm run gen:types` (json-schema-to-typescript). Do not edit. */

/**
 * What `labops plan --out FILE` writes and `labops apply FILE` reads: the plan a person reviewed, with fingerprints of the specs and of AWS as observed. apply re-plans and refuses unless the specs, AWS and the actions are all as saved. The file is untrusted input: it is validated against this schema and nothing in it is sent to AWS.
 */
export interface LabopsSavedPlan {
  /**
   * Format version.
   */
  labopsSavedPlan: 1;
  /**
   * When the plan was saved (the plan's clock).
   */
  savedAt: string;
  /**
   * The lab identity (`labops:repo`).
   */
  repo: string;
  /**
   * The `--target` resource the plan was cut to, or null for the whole plan.
   */
  target: null | string;
  /**
   * The desired state the specs gave when the plan was saved.
   */
  specs: {
    /**
     * SHA-256 of the desired state built from the specs.
     */
    sha256: string;
    /**
     * The lab folder's git HEAD when saved, or null outside git.
     */
    commit: null | string;
  };
  /**
   * AWS as observed when the plan was saved.
   */
  observed: {
    /**
     * SHA-256 of AWS as observed (observation time left out).
     */
    sha256: string;
  };
  /**
   * The planned actions, in order: apply refuses unless it plans exactly these again.
   *
   * @maxItems 100000
   */
  actions: {
    /**
     * The action id (`Kind/name/verb`).
     */
    id: string;
    /**
     * The action kind (create, start, snapshot, …).
     */
    kind: string;
    /**
     * The resource the action changes (`Kind/name`).
     */
    resource: string;
  }[];
  /**
   * The plan's change to the monthly run-rate, USD.
   */
  monthlyDeltaUSD: number;
}
