import { describe, expect, it } from 'vitest';
import { AwsError, awsCall, hasAwsCode, isTransient, toAwsError } from '../../../reconciler/src/aws/errors.js';

function sdkError(name: string, status: number, fault: 'client' | 'server'): Error {
  return Object.assign(new Error(`message for ${name}`), {
    name,
    $fault: fault,
    $metadata: { httpStatusCode: status },
  });
}

describe('toAwsError', () => {
  it.each([
    ['InsufficientInstanceCapacity', 500, 'server', true, false],
    ['RequestLimitExceeded', 503, 'server', true, true],
    ['IncorrectInstanceState', 400, 'client', true, false],
    ['InvalidInstanceID.NotFound', 400, 'client', true, false],
    ['InvalidParameterValue', 400, 'client', false, false],
    ['UnauthorizedOperation', 403, 'client', false, false],
    ['InternalError', 500, 'server', true, true],
  ] as const)('%s (HTTP %i) is retryable: %s, transient: %s', (name, status, fault, retryable, transient) => {
    const err = toAwsError(sdkError(name, status, fault), 'RunInstances', 'labops-abc');

    expect(err).toMatchObject({
      name: 'AwsError',
      code: name,
      retryable,
      httpStatus: status,
      operation: 'RunInstances',
      resource: 'labops-abc',
    });
    expect(isTransient(err)).toBe(transient);
    expect(err.cause).toBeInstanceOf(Error);
  });

  it('wraps once: an AwsError passes through', () => {
    const once = toAwsError(sdkError('VolumeInUse', 400, 'client'), 'DeleteVolume', 'vol-1');

    expect(toAwsError(once, 'Other')).toBe(once);
  });

  it('names something that is not an SDK error UnknownError', () => {
    expect(toAwsError('socket hang up', 'DescribeInstances')).toMatchObject({ code: 'UnknownError', retryable: false });
  });

  it('awsCall wraps a rejection and hasAwsCode matches on the code', async () => {
    const err = await awsCall('StopInstances', 'i-1', () =>
      Promise.reject(sdkError('IncorrectInstanceState', 400, 'client')),
    ).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(AwsError);
    expect([hasAwsCode(err, 'IncorrectInstanceState'), hasAwsCode(err, 'VolumeInUse')]).toEqual([true, false]);
  });
});

describe('hints for the common AWS failures', () => {
  it.each([
    ['VcpuLimitExceeded', 'RunInstances', 'G and VT'],
    ['MaxSpotInstanceCountExceeded', 'RunInstances', 'Spot'],
    ['InstanceLimitExceeded', 'RunInstances', 'Service Quotas'],
    ['CredentialsProviderError', 'DescribeInstances', 'AWS_PROFILE'],
    ['ExpiredToken', 'DescribeInstances', 'aws sso login'],
    ['ExpiredTokenException', 'GetCallerIdentity', 'aws sso login'],
    ['UnauthorizedOperation', 'StopInstances', 'examples/aws/apply-role-policy.json'],
    ['AccessDenied', 'GetCallerIdentity', 'IAM role'],
    ['AccessDeniedException', 'GetCostAndUsage', 'IAM role'],
    ['InsufficientInstanceCapacity', 'StartInstances', 'next run tries again'],
    ['AuthFailure', 'DescribeInstances', 'AWS_ACCESS_KEY_ID'],
  ] as const)('%s carries a one-line hint naming %s', (code, operation, words) => {
    const err = toAwsError(sdkError(code, 400, 'client'), operation, 'i-1');

    expect(err.hint).toContain(words);
    expect(err.message).toBe(`${operation} i-1: ${code}: message for ${code} (hint: ${err.hint})`);
    expect(err.message).not.toContain('\n');
  });

  it('leaves other codes without a hint', () => {
    const err = toAwsError(sdkError('InvalidParameterValue', 400, 'client'), 'RunInstances');

    expect([err.hint, err.message]).toEqual([
      undefined,
      'RunInstances: InvalidParameterValue: message for InvalidParameterValue',
    ]);
  });

  it('does not treat an inherited property name as a code', () => {
    expect(toAwsError(sdkError('constructor', 400, 'client'), 'RunInstances').hint).toBeUndefined();
  });
});
