/** The EnvironmentImage kind: its whole lifecycle, as the engine calls it. */
import type { Kind } from '../../engine/kind.js';
import { ENVIRONMENT_IMAGE_ACTIONS } from './actions.js';
import { runBuildImage, runCreateImageResource, runRetireImage } from './apply.js';
import { desiredEnvironmentImages } from './desired.js';
import { noEnvironmentImages, observeEnvironmentImages } from './observe.js';
import type { ObservedEnvironmentImages } from './observe.js';
import { planEnvironmentImages } from './plan.js';
import { environmentImageStatusSection } from './status.js';

/** EnvironmentImages: environment versions baked into AMIs through EC2 Image Builder, rebuilt and retired. */
export const environmentImage: Kind<
  (typeof ENVIRONMENT_IMAGE_ACTIONS)[number]['kind'],
  ReturnType<typeof desiredEnvironmentImages>,
  ObservedEnvironmentImages
> = {
  name: 'EnvironmentImage',
  actions: ENVIRONMENT_IMAGE_ACTIONS,
  steps: {
    'create-image-resource': runCreateImageResource,
    'build-image': runBuildImage,
    'retire-image': runRetireImage,
  },
  desired: desiredEnvironmentImages,
  observe: observeEnvironmentImages,
  unobserved: noEnvironmentImages,
  plan: ({ desired, observed, now, imageBuildRequests }) =>
    planEnvironmentImages({ desired, observed, now, ...(imageBuildRequests ? { requests: imageBuildRequests } : {}) }),
  status: (desired, observed, record, now) =>
    environmentImageStatusSection(desired, observed, record, now, observed.imageBuilds),
};
