/** The Workstation kind: its action declarations and executor steps. */
import type { Kind } from '../../engine/kind.js';
import { WORKSTATION_ACTIONS } from './actions.js';
import { WORKSTATION_STEPS } from './apply/steps.js';

/** Workstations: EC2 instances with their volumes, launched, powered, resized, replaced and retired. */
export const workstation: Kind<(typeof WORKSTATION_ACTIONS)[number]['kind']> = {
  name: 'Workstation',
  actions: WORKSTATION_ACTIONS,
  steps: WORKSTATION_STEPS,
};
