import { describe, expect, it } from 'vitest';
import { parseProvisionMarker } from '../../../reconciler/src/aws/ec2-readiness.js';
import { PROVISION_MARKER } from '../../../reconciler/src/environments/provision-script.js';

describe('parseProvisionMarker', () => {
  it.each([
    ['no marker yet', 'Linux version 6.8\r\nCloud-init v. 24.1 running\r\n', undefined],
    ['ready', 'boot\r\nlabops-provision: ready after 312s\r\n', { result: 'ready', seconds: 312, steps: '' }],
    [
      'failed, with the steps',
      'labops-provision: failed after 1804s: spack containers\r\n',
      { result: 'failed', seconds: 1804, steps: 'spack containers' },
    ],
    [
      'the last marker wins (a later boot prints it again)',
      'labops-provision: failed after 90s: conda\nreboot\nlabops-provision: ready after 95s\n',
      { result: 'ready', seconds: 95, steps: '' },
    ],
    ['a look-alike line', 'labops-provision: readyish after 3s\n', undefined],
  ])('%s', (_case, text, expected) => {
    expect(parseProvisionMarker(text)).toEqual(expected);
  });

  it('reads the marker the provisioning script prints', () => {
    expect(PROVISION_MARKER).toBe('labops-provision:');
  });
});
