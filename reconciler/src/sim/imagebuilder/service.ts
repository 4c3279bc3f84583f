/**
 * Simulated EC2 Image Builder (API 2019-12-02, REST-JSON, camelCase members): components, image
 * recipes, infrastructure and distribution configurations, and image builds that move through
 * PENDING → CREATING → BUILDING → TESTING → DISTRIBUTING → AVAILABLE on the simulated clock
 * (lifecycle.ts), leaving AMIs in EC2 in every distribution Region and the build instance's hours
 * in Cost Explorer.
 */
import type { SimService } from '../core/contract.js';
import { createComponent, deleteComponent, getComponent, listComponents } from './components.js';
import {
  createDistributionConfiguration,
  createInfrastructureConfiguration,
  deleteDistributionConfiguration,
  deleteInfrastructureConfiguration,
  getDistributionConfiguration,
  getInfrastructureConfiguration,
  listDistributionConfigurations,
  listInfrastructureConfigurations,
} from './configs.js';
import {
  cancelImageCreation,
  createImageBuild,
  deleteImage,
  getImage,
  listImageBuildVersions,
  listImages,
} from './images.js';
import { advanceImageBuilder } from './lifecycle.js';
import { initialImageBuilderState } from './model.js';
import { createImageRecipe, deleteImageRecipe, getImageRecipe, listImageRecipes } from './recipes.js';
import { listImageBuilderTags, tagImageBuilderResource, untagImageBuilderResource } from './tags.js';

export type { ImageBuilderState, IbImage, ImageStatus } from './model.js';

/** The Image Builder service the sim core routes `ImageBuilder.*` operations to. */
export const imageBuilderService: SimService = {
  name: 'ImageBuilder',
  operations: {
    CreateComponent: createComponent,
    GetComponent: getComponent,
    ListComponents: listComponents,
    DeleteComponent: deleteComponent,
    CreateImageRecipe: createImageRecipe,
    GetImageRecipe: getImageRecipe,
    ListImageRecipes: listImageRecipes,
    DeleteImageRecipe: deleteImageRecipe,
    CreateInfrastructureConfiguration: createInfrastructureConfiguration,
    GetInfrastructureConfiguration: getInfrastructureConfiguration,
    ListInfrastructureConfigurations: listInfrastructureConfigurations,
    DeleteInfrastructureConfiguration: deleteInfrastructureConfiguration,
    CreateDistributionConfiguration: createDistributionConfiguration,
    GetDistributionConfiguration: getDistributionConfiguration,
    ListDistributionConfigurations: listDistributionConfigurations,
    DeleteDistributionConfiguration: deleteDistributionConfiguration,
    CreateImage: createImageBuild,
    GetImage: getImage,
    ListImages: listImages,
    ListImageBuildVersions: listImageBuildVersions,
    DeleteImage: deleteImage,
    CancelImageCreation: cancelImageCreation,
    ListTagsForResource: listImageBuilderTags,
    TagResource: tagImageBuilderResource,
    UntagResource: untagImageBuilderResource,
  },
  initialState: initialImageBuilderState,
  advance: advanceImageBuilder,
};
