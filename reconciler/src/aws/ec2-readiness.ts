/**
 * Readiness of running workstations from what EC2 exposes, without any permission on the instance:
 *
 * - status checks, DescribeInstanceStatus, 100 ids a call (AWS's limit on InstanceIds): an
 *   `impaired` instance or system check means the instance is unreachable: failed;
 * - the console, GetConsoleOutput with `Latest: true` ("You can optionally retrieve the latest
 *   serial console output at any time during the instance lifecycle. This option is supported on
 *   instance types that use the Nitro hypervisor."), where labops' provisioning script prints
 *   `labops-provision: ready after 312s` or `labops-provision: failed after 1804s: spack` when it
 *   ends, and cloud-init's bootcmd prints it again on every later boot; an instance booted from a
 *   built environment image prints `labops-provision: ready after 41s (image)` at every boot (its
 *   marker unit), the seconds being that boot's.
 *
 * No marker yet is `provisioning`. One GetConsoleOutput per running instance, 8 at a time; an
 * instance whose console cannot be read (an older, non-Nitro type) is judged by its checks alone.
 */
import { DescribeInstanceStatusCommand, GetConsoleOutputCommand } from '@aws-sdk/client-ec2';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { IMAGE_BOOT_SUFFIX, PROVISION_MARKER } from '../environments/provision-script.js';
import type { Readiness } from '../model/observed.js';
import { AwsError, awsCall } from './errors.js';

/** Most ids DescribeInstanceStatus takes in one call. */
const IDS_PER_CALL = 100;
/** Console reads in flight at once. */
const CONSOLE_CONCURRENCY = 8;

/** The provisioning outcome in console text: the last marker line, if any. */
export function parseProvisionMarker(
  text: string,
): { result: 'ready' | 'failed'; seconds: number; steps: string; path: 'script' | 'image' } | undefined {
  const escaped = PROVISION_MARKER.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lines = [...text.matchAll(new RegExp(`${escaped} (ready|failed) after (\\d+)s:?([^\\r\\n]*)`, 'g'))];
  const last = lines[lines.length - 1];
  if (last === undefined) return undefined;
  const result = last[1] as 'ready' | 'failed';
  const rest = (last[3] ?? '').trim();
  if (result === 'ready' && rest === IMAGE_BOOT_SUFFIX)
    return { result, seconds: Number(last[2]), steps: '', path: 'image' };
  return { result, seconds: Number(last[2]), steps: rest, path: 'script' };
}

/** Status-check state by instance id: `impaired`, `initializing`, `ok`, … (worst of instance and system). */
async function statusChecks(client: EC2Client, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
    const chunk = ids.slice(i, i + IDS_PER_CALL);
    const reply = await awsCall('DescribeInstanceStatus', chunk.join(','), () =>
      client.send(new DescribeInstanceStatusCommand({ InstanceIds: chunk })),
    );
    for (const s of reply.InstanceStatuses ?? []) {
      const both = [s.InstanceStatus?.Status, s.SystemStatus?.Status];
      const worst = both.includes('impaired')
        ? 'impaired'
        : both.includes('initializing')
          ? 'initializing'
          : (both[0] ?? 'unknown');
      if (s.InstanceId) out.set(s.InstanceId, worst);
    }
  }
  return out;
}

async function consoleText(client: EC2Client, id: string): Promise<string | undefined> {
  try {
    const reply = await awsCall('GetConsoleOutput', id, () =>
      client.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true })),
    );
    return reply.Output === undefined ? '' : Buffer.from(reply.Output, 'base64').toString('utf8');
  } catch (err) {
    if (err instanceof AwsError && !err.retryable && err.code !== 'CredentialsProviderError') return undefined;
    throw err;
  }
}

/** Readiness of each of `ids` (running instances of one Region). @throws {AwsError} */
export async function readinessOf(client: EC2Client, ids: string[]): Promise<Record<string, Readiness>> {
  const unique = [...new Set(ids)];
  const checks = await statusChecks(client, unique);
  const consoles = new Map<string, string | undefined>();
  for (let i = 0; i < unique.length; i += CONSOLE_CONCURRENCY) {
    const batch = unique.slice(i, i + CONSOLE_CONCURRENCY);
    const texts = await Promise.all(batch.map((id) => consoleText(client, id)));
    batch.forEach((id, j) => consoles.set(id, texts[j]));
  }
  const out: Record<string, Readiness> = {};
  for (const id of unique) {
    const check = checks.get(id) ?? 'unknown';
    const text = consoles.get(id);
    const marker = text === undefined ? undefined : parseProvisionMarker(text);
    if (check === 'impaired')
      out[id] = { state: 'failed', tookSeconds: marker?.seconds ?? null, detail: 'status check impaired' };
    else if (marker?.result === 'failed')
      out[id] = { state: 'failed', tookSeconds: marker.seconds, detail: `failed steps: ${marker.steps || 'unknown'}` };
    else if (marker?.result === 'ready')
      out[id] = {
        state: 'ready',
        tookSeconds: marker.seconds,
        detail: `status checks ${check}`,
        ...(marker.path === 'image' ? { path: 'image' as const } : {}),
      };
    else
      out[id] = {
        state: 'provisioning',
        tookSeconds: null,
        detail: text === undefined ? `status checks ${check}; console output unavailable` : `status checks ${check}`,
      };
  }
  return out;
}

/**
 * Readiness of `instances` (any Regions), one `read` per Region in Region order, by instance id. A
 * Region whose reads fail with an AWS error (a role without ec2:DescribeInstanceStatus or
 * ec2:GetConsoleOutput) is passed to `unread` and left out; any other error is thrown.
 */
export async function readinessByRegion(
  instances: readonly { instanceId: string; region: string }[],
  read: (region: string, ids: string[]) => Promise<Record<string, Readiness>>,
  unread: (region: string, err: AwsError) => void,
): Promise<Record<string, Readiness>> {
  const out: Record<string, Readiness> = {};
  for (const region of [...new Set(instances.map((i) => i.region))].sort()) {
    const ids = instances.filter((i) => i.region === region).map((i) => i.instanceId);
    try {
      Object.assign(out, await read(region, ids));
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      unread(region, err);
    }
  }
  return out;
}
