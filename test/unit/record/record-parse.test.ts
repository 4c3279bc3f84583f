/** parseRecord: a run record is validated against its schema on every load; an invalid one is one line, never an empty record. */
import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../reconciler/src/model/record.js';
import { MAX_RECORD_BYTES, RecordError, checkRecordSize, parseRecord } from '../../../reconciler/src/record/parse.js';

const WHERE = '/lab/.labops/record.json';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

function parseError(text: string): RecordError {
  try {
    parseRecord(text, WHERE, { warn: () => {} });
  } catch (err) {
    if (err instanceof RecordError) return err;
    throw err;
  }
  throw new Error('parsed');
}

describe('parseRecord', () => {
  it('reads an empty record, and fills in what older records lack', () => {
    const record = parseRecord('{"version":1}', WHERE);

    expect(record).toEqual(emptyRecord());
  });

  it.each([
    [
      'an unknown top-level field',
      { admins: ['mallory'] },
      'invalid run record at /admins: unknown field; expected one of version, updatedAt, timezone, lastApplyAt, alerts, costCache, costExplorerCalls, schedules, jobs, jobQueueRegions, resources, listedAt, holds, applied, instanceRuns, jobRuns, provisionTimes, budgetActions',
    ],
    ['a wrongly typed field', { jobs: {} }, 'invalid run record at /jobs: expected array, got an object'],
    [
      'a fired budget action that is not one',
      {
        budgetActions: [
          { budget: 'b', period: '2026-12', do: 'notify', atPercent: 100, limitUSD: 43, at: '2026-12-01T00:00:00Z' },
        ],
      },
      'invalid run record at /budgetActions/0/do: expected a value that must be equal to one of the allowed values',
    ],
    [
      'a ledger entry keyed by something other than an instance id',
      {
        instanceRuns: {
          '../x': {
            project: 'neuro',
            region: 'us-east-1',
            instanceType: 'm6i.large',
            storageHourlyUSD: 0,
            state: 'running',
            changedAt: '2026-12-01T00:00:00Z',
            firstSeen: '2026-12-01T00:00:00Z',
            lastSeen: '2026-12-01T00:00:00Z',
            runs: [],
          },
        },
      },
      'invalid run record at /instanceRuns/..~1x: invalid key: expected a key that must match pattern "^i-([0-9a-f]{8}|[0-9a-f]{17})$"',
    ],
    [
      'a date-time that is not one',
      { updatedAt: 'yesterday' },
      'invalid run record at /updatedAt: expected a value that must match format "date-time"',
    ],
    [
      'a hold whose commit is not 40 hex digits',
      {
        holds: {
          'workstations/ann.yaml': {
            commit: 'HEAD',
            blob: null,
            sha: COMMIT,
            since: '2026-11-01T00:00:00Z',
            updatedAt: '2026-11-01T00:00:00Z',
            reasons: [],
          },
        },
      },
      'invalid run record at /holds/workstations~1ann.yaml/commit: expected a value that must match pattern "^[0-9a-f]{40}$"',
    ],
    [
      'a resource of an unknown kind',
      { resources: { 'Environment/x': { observedAt: '2026-11-01T00:00:00Z' } } },
      'invalid run record at /resources/Environment~1x: unknown field',
    ],
    [
      'a key with control characters',
      { schedules: { '\u001b[31mx': {} } },
      'invalid run record at /schedules/\\u001b[31mx: invalid key: expected a key that must match pattern "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"',
    ],
    [
      'a version this labops does not read',
      { version: 2 },
      'invalid run record at /version: unsupported version 2 (this labops reads version 1)',
    ],
  ])('refuses %s, naming where the record is and the first bad field', (_case, fields, message) => {
    const error = parseError(JSON.stringify({ ...emptyRecord(), ...fields }));

    expect(error.code).toBe('invalid-record');
    expect(error.message).toBe(`${WHERE}: ${message}`);
  });

  it.each([
    ['text that is not JSON', '{"version":', 'the run record is not JSON'],
    ['a JSON array', '[]', 'the run record must be a JSON object, got an array'],
  ])('refuses %s', (_case, text, message) => {
    expect(parseError(text).message).toBe(`${WHERE}: ${message}`);
  });

  it('drops holds of the previous format (held text, no commit) with one warning, keeping the rest', () => {
    const current = {
      commit: COMMIT,
      blob: null,
      sha: COMMIT,
      since: '2026-11-01T00:00:00Z',
      updatedAt: '2026-11-01T00:00:00Z',
      reasons: ['needs pi'],
    };
    const old = {
      baseContent: 'kind: Lab\n',
      sha: COMMIT,
      since: '2026-11-01T00:00:00Z',
      updatedAt: '2026-11-01T00:00:00Z',
      reasons: [],
    };
    const warnings: string[] = [];

    const record = parseRecord(
      JSON.stringify({ ...emptyRecord(), holds: { 'labops.yaml': old, 'workstations/ann.yaml': current } }),
      WHERE,
      { warn: (m) => warnings.push(m) },
    );

    expect(record.holds).toEqual({ 'workstations/ann.yaml': current });
    expect(warnings).toEqual([
      `${WHERE}: dropped 1 hold(s) of the previous record format (labops.yaml): a hold is now kept by git commit and blob, and a stored text cannot be verified against git`,
    ]);
  });

  it('refuses a record over the size bound before reading it', () => {
    expect(() => checkRecordSize(MAX_RECORD_BYTES, WHERE)).not.toThrow();
    expect(() => checkRecordSize(MAX_RECORD_BYTES + 1, WHERE)).toThrow(
      `${WHERE}: the run record is 65 MiB, over the 64 MiB labops reads; refused`,
    );
  });
});
