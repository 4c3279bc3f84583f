/** The pure planners: Desired + Observed + clock → Plan. */
export { planWorkstations } from './workstations.js';
export type { PlanWorkstationsOptions } from './options.js';
export { desiredPowerState, activeBreak } from './power-state.js';
export type { PowerCause, PowerDecision, PowerInputs } from './power-state.js';
export { resolveImage, newestBaseImage } from './images.js';
export { foreignDataUse } from './data-owners.js';
export type { DataUse } from './data-owners.js';
export type { ImageResolution, ResolvedImage } from './images.js';
export { expectedRunningHours, desiredMonthlyUSD, weeklyHours } from '../../../cost/monthly.js';
