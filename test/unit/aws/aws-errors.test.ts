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
