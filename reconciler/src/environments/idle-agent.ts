/**
 * The idle-metrics agent: a systemd timer that, once a minute, measures CPU use (from
 * /proc/stat, since the previous run) and, on GPU environments, the busiest GPU's use (from
 * nvidia-smi). While both are below their thresholds it adds the interval to a running idle
 * time, otherwise resets it to 0. Each run logs one line (`journalctl -t labops-idle`), keeps
 * the idle time in /var/lib/labops/idle/seconds, and, when the AWS CLI is installed and
 * publishing is on, sends it as the CloudWatch metric `labops/IdleSeconds` (dimension
 * InstanceId; the instance profile needs cloudwatch:PutMetricData). Open SSM sessions are
 * logged but do not count as activity: a forgotten browser tab must not keep a GPU running.
 */

/** Options for the idle-metrics agent. */
export interface IdleAgentOptions {
  /** CPU use (percent of all cores) below which a minute counts as idle. @default 5 */
  cpuBelowPercent?: number;
  /** GPU use (percent, busiest GPU) below which a minute counts as idle. @default 5 */
  gpuBelowPercent?: number;
  /** Publish `labops/IdleSeconds` to CloudWatch when the AWS CLI is present. @default true */
  publish?: boolean;
}

/** Seconds between measurements (the timer interval). */
export const IDLE_INTERVAL_SECONDS = 60;

/** Path of the agent script on the instance. */
export const IDLE_SCRIPT_PATH = '/opt/labops/bin/idle-metrics.sh';

/** The agent script; `gpu` adds the nvidia-smi measurement. */
export function idleAgentScript(options: IdleAgentOptions, gpu: boolean): string {
  const cpuLimit = wholePercent(options.cpuBelowPercent, 5);
  const gpuLimit = wholePercent(options.gpuBelowPercent, 5);
  const lines = [
    '#!/bin/bash',
    '# labops idle metrics (see idle-agent.ts): CPU/GPU use -> idle seconds -> log and labops/IdleSeconds',
    'set -u',
    'dir=/var/lib/labops/idle; mkdir -p "$dir"',
    'read -r _ u n s i w q sq st _ < /proc/stat',
    'busy=$((u+n+s+q+sq+st)); total=$((busy+i+w))',
    'read -r pb pt < "$dir/cpu" 2>/dev/null || { pb=$busy; pt=$total; }',
    'echo "$busy $total" > "$dir/cpu"',
    'cpu=0; [ $((total-pt)) -gt 0 ] && cpu=$((100*(busy-pb)/(total-pt)))',
    'gpu=0',
  ];
  if (gpu) {
    lines.push(
      'if command -v nvidia-smi >/dev/null; then',
      '  gpu=$(nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits | sort -n | tail -n 1)',
      'fi',
    );
  }
  lines.push(
    'sessions=$(pgrep -c -f ssm-session-worker || true)',
    'idle=$(cat "$dir/seconds" 2>/dev/null || echo 0)',
    `if [ "$cpu" -lt ${cpuLimit} ] && [ "\${gpu:-0}" -lt ${gpuLimit} ]; then idle=$((idle+${IDLE_INTERVAL_SECONDS})); else idle=0; fi`,
    'echo "$idle" > "$dir/seconds"',
    'logger -t labops-idle "cpu=$cpu gpu=${gpu:-0} ssm_sessions=$sessions idle_seconds=$idle"',
  );
  if (options.publish ?? true) {
    lines.push(
      'command -v aws >/dev/null || exit 0',
      'md=http://169.254.169.254/latest',
      "t=$(curl -sf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' $md/api/token) || exit 0",
      'id=$(curl -sf -H "X-aws-ec2-metadata-token: $t" $md/meta-data/instance-id)',
      'region=$(curl -sf -H "X-aws-ec2-metadata-token: $t" $md/meta-data/placement/region)',
      'aws cloudwatch put-metric-data --region "$region" --namespace labops --metric-name IdleSeconds \\',
      '  --dimensions "InstanceId=$id" --unit Seconds --value "$idle"',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The oneshot service and the timer that runs it every minute. */
export function idleAgentUnits(): { service: string; timer: string } {
  return {
    service: [
      '[Unit]',
      'Description=labops idle metrics',
      '[Service]',
      'Type=oneshot',
      `ExecStart=${IDLE_SCRIPT_PATH}`,
      '',
    ].join('\n'),
    timer: [
      '[Unit]',
      'Description=labops idle metrics every minute',
      '[Timer]',
      'OnBootSec=2min',
      `OnUnitActiveSec=${IDLE_INTERVAL_SECONDS}s`,
      '[Install]',
      'WantedBy=timers.target',
      '',
    ].join('\n'),
  };
}

function wholePercent(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) {
    return fallback;
  }
  return Math.min(100, Math.max(0, Math.round(value)));
}
