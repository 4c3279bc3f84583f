import { describe, expect, it } from 'vitest';
import { parseProvisionMarker } from '../../../reconciler/src/aws/ec2-readiness.js';
import { PROVISION_MARKER } from '../../../reconciler/src/environments/provision-script.js';

describe('parseProvisionMarker', () => {
  it.each([
    ['no marker yet', 'Linux version 6.8\r\nCloud-init v. 24.1 running\r\n', undefined],
    [
      'ready',
      'boot\r\nlabops-provision: ready after 312s\r\n',
      { result: 'ready', seconds: 312, steps: '', path: 'script' },
    ],
    [
      'failed, with the steps',
      'labops-provision: failed after 1804s: spack containers\r\n',
      { result: 'failed', seconds: 1804, steps: 'spack containers', path: 'script' },
    ],
    [
      'the last marker wins (a later boot prints it again)',
      'labops-provision: failed after 90s: conda\nreboot\nlabops-provision: ready after 95s\n',
      { result: 'ready', seconds: 95, steps: '', path: 'script' },
    ],
    [
      'booted from a built image (its marker unit: the seconds are the boot’s)',
      'Cloud-init v. 24.1 running\r\nlabops-provision: ready after 41s (image)\r\n',
      { result: 'ready', seconds: 41, steps: '', path: 'image' },
    ],
    [
      'a failure is never read as an image boot',
      'labops-provision: failed after 41s (image)\r\n',
      { result: 'failed', seconds: 41, steps: '(image)', path: 'script' },
    ],
    ['a look-alike line', 'labops-provision: readyish after 3s\n', undefined],
  ])('%s', (_case, text, expected) => {
    expect(parseProvisionMarker(text)).toEqual(expected);
  });

  it('reads the marker the provisioning script prints', () => {
    expect(PROVISION_MARKER).toBe('labops-provision:');
  });
});
