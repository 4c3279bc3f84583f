/** The lease's vocabulary (record/lease.ts takes and keeps it). */

/** What the lease register holds. */
export interface LeaseRecord {
  /** Who holds it: unique per run. */
  holder: string;
  /** What kind of run: `apply`, `reconcile`, `action apply`, … */
  kind: string;
  host: string;
  pid: number;
  /** ISO-8601. */
  acquiredAt: string;
  /**
   * ISO-8601: after this anyone may take it. Never believed beyond one TTL after `renewedAt` (or
   * `acquiredAt`): a lease pushed with a far-future expiry cannot block every run.
   */
  expiresAt: string;
  /** ISO-8601 of the holder's last write (taken or renewed). @default acquiredAt (leases of earlier versions) */
  renewedAt?: string;
  /** Set when the holder let it go. */
  releasedAt?: string;
}

/** A register with compare-and-swap: `write` succeeds only if nobody wrote since the `read` that gave `version`. */
export interface LeaseRegister {
  /** Where it is, for messages. */
  where: string;
  read(): Promise<{ version: string | undefined; lease: LeaseRecord | undefined }>;
  /** False when someone else wrote first. */
  write(version: string | undefined, lease: LeaseRecord): Promise<boolean>;
}
