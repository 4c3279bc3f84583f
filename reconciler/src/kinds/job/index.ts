/** The Job kind: its action declarations and executor steps. */
import type { Kind } from '../../engine/kind.js';
import { JOB_ACTIONS } from './actions.js';
import { runCancelJob, runSubmitJob } from './apply.js';

/** Jobs: AWS Batch jobs submitted once per spec hash and rerun, cancelled when removed. */
export const job: Kind<(typeof JOB_ACTIONS)[number]['kind']> = {
  name: 'Job',
  actions: JOB_ACTIONS,
  steps: { 'submit-job': runSubmitJob, 'cancel-job': runCancelJob },
};
