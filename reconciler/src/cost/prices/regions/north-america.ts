import type { PriceSource, RegionPriceBlock } from '../model.js';

/**
 * Provenance of every price outside us-east-1: SkyPilot's AWS catalogue, which its
 * update-aws-catalog workflow regenerates from the AWS Price List (on-demand, Linux, shared
 * tenancy). Cross-check: its us-east-1 column equals the Karpenter-generated us-east-1 table
 * (see us-east-1.ts) for all 117 types in the catalogue, e.g. p4d.24xlarge 21.957642.
 */
export const SKYPILOT_V8_SOURCE: PriceSource = {
  description:
    'AWS Price List on-demand Linux prices as captured in skypilot-org/skypilot-catalog ' +
    'catalogs/v8/aws/vms.csv (Price column), commit e385a0d348eda9cefd9806423e7725944dc249e4',
  url: 'https://github.com/skypilot-org/skypilot-catalog/blob/e385a0d348eda9cefd9806423e7725944dc249e4/catalogs/v8/aws/vms.csv',
  retrieved: '2026-11-22',
};

/** On-demand Linux prices in us-east-2, US East (Ohio). */
export const US_EAST_2: RegionPriceBlock = {
  region: 'us-east-2',
  source: SKYPILOT_V8_SOURCE,
  prices: {
    'c6i.12xlarge': 2.04, 'c6i.16xlarge': 2.72, 'c6i.24xlarge': 4.08, 'c6i.2xlarge': 0.34, 'c6i.32xlarge': 5.44,
    'c6i.4xlarge': 0.68, 'c6i.8xlarge': 1.36, 'c6i.large': 0.085, 'c6i.xlarge': 0.17,
    'c7g.12xlarge': 1.7342, 'c7g.16xlarge': 2.3123, 'c7g.2xlarge': 0.289, 'c7g.4xlarge': 0.5781,
    'c7g.8xlarge': 1.1562, 'c7g.large': 0.0723, 'c7g.medium': 0.0361, 'c7g.xlarge': 0.1445,
    'c7i.12xlarge': 2.142, 'c7i.16xlarge': 2.856, 'c7i.24xlarge': 4.284, 'c7i.2xlarge': 0.357, 'c7i.48xlarge': 8.568,
    'c7i.4xlarge': 0.714, 'c7i.8xlarge': 1.428, 'c7i.large': 0.08925, 'c7i.xlarge': 0.1785,
    'g4dn.12xlarge': 3.912, 'g4dn.2xlarge': 0.752, 'g4dn.4xlarge': 1.204,
    'g4dn.8xlarge': 2.176, 'g4dn.xlarge': 0.526,
    'g5.12xlarge': 5.672, 'g5.16xlarge': 4.096, 'g5.24xlarge': 8.144, 'g5.2xlarge': 1.212,
    'g5.48xlarge': 16.288, 'g5.4xlarge': 1.624, 'g5.8xlarge': 2.448, 'g5.xlarge': 1.006,
    'g6.12xlarge': 4.6016, 'g6.16xlarge': 3.3968, 'g6.24xlarge': 6.6752, 'g6.2xlarge': 0.9776,
    'g6.48xlarge': 13.3504, 'g6.4xlarge': 1.3232, 'g6.8xlarge': 2.0144, 'g6.xlarge': 0.8048,
    'm6i.12xlarge': 2.304, 'm6i.16xlarge': 3.072, 'm6i.24xlarge': 4.608, 'm6i.2xlarge': 0.384, 'm6i.32xlarge': 6.144,
    'm6i.4xlarge': 0.768, 'm6i.8xlarge': 1.536, 'm6i.large': 0.096, 'm6i.xlarge': 0.192,
    'm7g.12xlarge': 1.9584, 'm7g.16xlarge': 2.6112, 'm7g.2xlarge': 0.3264, 'm7g.4xlarge': 0.6528,
    'm7g.8xlarge': 1.3056, 'm7g.large': 0.0816, 'm7g.medium': 0.0408, 'm7g.xlarge': 0.1632,
    'm7i-flex.2xlarge': 0.38304, 'm7i-flex.4xlarge': 0.76608, 'm7i-flex.8xlarge': 1.53216,
    'm7i-flex.large': 0.09576, 'm7i-flex.xlarge': 0.19152,
    'm7i.12xlarge': 2.4192, 'm7i.16xlarge': 3.2256, 'm7i.24xlarge': 4.8384, 'm7i.2xlarge': 0.4032, 'm7i.48xlarge': 9.6768,
    'm7i.4xlarge': 0.8064, 'm7i.8xlarge': 1.6128, 'm7i.large': 0.1008, 'm7i.xlarge': 0.2016,
    'p3.16xlarge': 24.48, 'p3.2xlarge': 3.06, 'p3.8xlarge': 12.24,
    'p4d.24xlarge': 21.95764,
    'p5.48xlarge': 55.04,
    'r6i.12xlarge': 3.024, 'r6i.16xlarge': 4.032, 'r6i.24xlarge': 6.048, 'r6i.2xlarge': 0.504, 'r6i.32xlarge': 8.064,
    'r6i.4xlarge': 1.008, 'r6i.8xlarge': 2.016, 'r6i.large': 0.126, 'r6i.xlarge': 0.252,
    'r7g.12xlarge': 2.5704, 'r7g.16xlarge': 3.4272, 'r7g.2xlarge': 0.4284, 'r7g.4xlarge': 0.8568,
    'r7g.8xlarge': 1.7136, 'r7g.large': 0.1071, 'r7g.medium': 0.0536, 'r7g.xlarge': 0.2142,
    'r7i.12xlarge': 3.1752, 'r7i.16xlarge': 4.2336, 'r7i.24xlarge': 6.3504, 'r7i.2xlarge': 0.5292, 'r7i.48xlarge': 12.7008,
    'r7i.4xlarge': 1.0584, 'r7i.8xlarge': 2.1168, 'r7i.large': 0.1323, 'r7i.xlarge': 0.2646,
    't3.2xlarge': 0.3328, 't3.large': 0.0832, 't3.medium': 0.0416, 't3.xlarge': 0.1664,
    't4g.2xlarge': 0.2688, 't4g.large': 0.0672, 't4g.medium': 0.0336, 't4g.xlarge': 0.1344,
  },
};

/** On-demand Linux prices in us-west-2, US West (Oregon). */
export const US_WEST_2: RegionPriceBlock = {
  region: 'us-west-2',
  source: SKYPILOT_V8_SOURCE,
  prices: {
    'c6i.12xlarge': 2.04, 'c6i.16xlarge': 2.72, 'c6i.24xlarge': 4.08, 'c6i.2xlarge': 0.34, 'c6i.32xlarge': 5.44,
    'c6i.4xlarge': 0.68, 'c6i.8xlarge': 1.36, 'c6i.large': 0.085, 'c6i.xlarge': 0.17,
    'c7g.12xlarge': 1.74, 'c7g.16xlarge': 2.32, 'c7g.2xlarge': 0.29, 'c7g.4xlarge': 0.58,
    'c7g.8xlarge': 1.16, 'c7g.large': 0.0725, 'c7g.medium': 0.0363, 'c7g.xlarge': 0.145,
    'c7i.12xlarge': 2.142, 'c7i.16xlarge': 2.856, 'c7i.24xlarge': 4.284, 'c7i.2xlarge': 0.357, 'c7i.48xlarge': 8.568,
    'c7i.4xlarge': 0.714, 'c7i.8xlarge': 1.428, 'c7i.large': 0.08925, 'c7i.xlarge': 0.1785,
    'g4dn.12xlarge': 3.912, 'g4dn.2xlarge': 0.752, 'g4dn.4xlarge': 1.204,
    'g4dn.8xlarge': 2.176, 'g4dn.xlarge': 0.526,
    'g5.12xlarge': 5.672, 'g5.16xlarge': 4.096, 'g5.24xlarge': 8.144, 'g5.2xlarge': 1.212,
    'g5.48xlarge': 16.288, 'g5.4xlarge': 1.624, 'g5.8xlarge': 2.448, 'g5.xlarge': 1.006,
    'g6.12xlarge': 4.6016, 'g6.16xlarge': 3.3968, 'g6.24xlarge': 6.6752, 'g6.2xlarge': 0.9776,
    'g6.48xlarge': 13.3504, 'g6.4xlarge': 1.3232, 'g6.8xlarge': 2.0144, 'g6.xlarge': 0.8048,
    'm6i.12xlarge': 2.304, 'm6i.16xlarge': 3.072, 'm6i.24xlarge': 4.608, 'm6i.2xlarge': 0.384, 'm6i.32xlarge': 6.144,
    'm6i.4xlarge': 0.768, 'm6i.8xlarge': 1.536, 'm6i.large': 0.096, 'm6i.xlarge': 0.192,
    'm7g.12xlarge': 1.9584, 'm7g.16xlarge': 2.6112, 'm7g.2xlarge': 0.3264, 'm7g.4xlarge': 0.6528,
    'm7g.8xlarge': 1.3056, 'm7g.large': 0.0816, 'm7g.medium': 0.0408, 'm7g.xlarge': 0.1632,
    'm7i-flex.2xlarge': 0.38304, 'm7i-flex.4xlarge': 0.76608, 'm7i-flex.8xlarge': 1.53216,
    'm7i-flex.large': 0.09576, 'm7i-flex.xlarge': 0.19152,
    'm7i.12xlarge': 2.4192, 'm7i.16xlarge': 3.2256, 'm7i.24xlarge': 4.8384, 'm7i.2xlarge': 0.4032, 'm7i.48xlarge': 9.6768,
    'm7i.4xlarge': 0.8064, 'm7i.8xlarge': 1.6128, 'm7i.large': 0.1008, 'm7i.xlarge': 0.2016,
    'p3.16xlarge': 24.48, 'p3.2xlarge': 3.06, 'p3.8xlarge': 12.24,
    'p4d.24xlarge': 21.95764,
    'p5.48xlarge': 55.04,
    'r6i.12xlarge': 3.024, 'r6i.16xlarge': 4.032, 'r6i.24xlarge': 6.048, 'r6i.2xlarge': 0.504, 'r6i.32xlarge': 8.064,
    'r6i.4xlarge': 1.008, 'r6i.8xlarge': 2.016, 'r6i.large': 0.126, 'r6i.xlarge': 0.252,
    'r7g.12xlarge': 2.5704, 'r7g.16xlarge': 3.4272, 'r7g.2xlarge': 0.4284, 'r7g.4xlarge': 0.8568,
    'r7g.8xlarge': 1.7136, 'r7g.large': 0.1071, 'r7g.medium': 0.0536, 'r7g.xlarge': 0.2142,
    'r7i.12xlarge': 3.1752, 'r7i.16xlarge': 4.2336, 'r7i.24xlarge': 6.3504, 'r7i.2xlarge': 0.5292, 'r7i.48xlarge': 12.7008,
    'r7i.4xlarge': 1.0584, 'r7i.8xlarge': 2.1168, 'r7i.large': 0.1323, 'r7i.xlarge': 0.2646,
    't3.2xlarge': 0.3328, 't3.large': 0.0832, 't3.medium': 0.0416, 't3.xlarge': 0.1664,
    't4g.2xlarge': 0.2688, 't4g.large': 0.0672, 't4g.medium': 0.0336, 't4g.xlarge': 0.1344,
  },
};

/** On-demand Linux prices in ca-central-1, Canada (Central). */
export const CA_CENTRAL_1: RegionPriceBlock = {
  region: 'ca-central-1',
  source: SKYPILOT_V8_SOURCE,
  prices: {
    'c6i.12xlarge': 2.232, 'c6i.16xlarge': 2.976, 'c6i.24xlarge': 4.464, 'c6i.2xlarge': 0.372, 'c6i.32xlarge': 5.952,
    'c6i.4xlarge': 0.744, 'c6i.8xlarge': 1.488, 'c6i.large': 0.093, 'c6i.xlarge': 0.186,
    'c7g.12xlarge': 1.8974, 'c7g.16xlarge': 2.5299, 'c7g.2xlarge': 0.3162, 'c7g.4xlarge': 0.6325,
    'c7g.8xlarge': 1.265, 'c7g.large': 0.0791, 'c7g.medium': 0.0395, 'c7g.xlarge': 0.1581,
    'c7i.12xlarge': 2.3436, 'c7i.16xlarge': 3.1248, 'c7i.24xlarge': 4.6872, 'c7i.2xlarge': 0.3906, 'c7i.48xlarge': 9.3744,
    'c7i.4xlarge': 0.7812, 'c7i.8xlarge': 1.5624, 'c7i.large': 0.09765, 'c7i.xlarge': 0.1953,
    'g4dn.12xlarge': 4.343, 'g4dn.2xlarge': 0.835, 'g4dn.4xlarge': 1.337,
    'g4dn.8xlarge': 2.416, 'g4dn.xlarge': 0.584,
    'g5.12xlarge': 6.29784, 'g5.16xlarge': 4.54794, 'g5.24xlarge': 9.04259, 'g5.2xlarge': 1.34573,
    'g5.48xlarge': 18.08518, 'g5.4xlarge': 1.80319, 'g5.8xlarge': 2.71811, 'g5.xlarge': 1.117,
    'g6.12xlarge': 5.10933, 'g6.16xlarge': 3.7716, 'g6.24xlarge': 7.41173, 'g6.2xlarge': 1.08547,
    'g6.48xlarge': 14.82346, 'g6.4xlarge': 1.4692, 'g6.8xlarge': 2.23666, 'g6.xlarge': 0.8936,
    'm6i.12xlarge': 2.568, 'm6i.16xlarge': 3.424, 'm6i.24xlarge': 5.136, 'm6i.2xlarge': 0.428, 'm6i.32xlarge': 6.848,
    'm6i.4xlarge': 0.856, 'm6i.8xlarge': 1.712, 'm6i.large': 0.107, 'm6i.xlarge': 0.214,
    'm7g.12xlarge': 2.183, 'm7g.16xlarge': 2.9107, 'm7g.2xlarge': 0.3638, 'm7g.4xlarge': 0.7277,
    'm7g.8xlarge': 1.4554, 'm7g.large': 0.091, 'm7g.medium': 0.0455, 'm7g.xlarge': 0.1819,
    'm7i-flex.2xlarge': 0.42692, 'm7i-flex.4xlarge': 0.85384, 'm7i-flex.8xlarge': 1.70768,
    'm7i-flex.large': 0.10673, 'm7i-flex.xlarge': 0.21346,
    'm7i.12xlarge': 2.6964, 'm7i.16xlarge': 3.5952, 'm7i.24xlarge': 5.3928, 'm7i.2xlarge': 0.4494, 'm7i.48xlarge': 10.7856,
    'm7i.4xlarge': 0.8988, 'm7i.8xlarge': 1.7976, 'm7i.large': 0.11235, 'm7i.xlarge': 0.2247,
    'p3.16xlarge': 26.928, 'p3.2xlarge': 3.366, 'p3.8xlarge': 13.464,
    'p4d.24xlarge': 25.25174,
    'p5.48xlarge': 63.296,
    'r6i.12xlarge': 3.312, 'r6i.16xlarge': 4.416, 'r6i.24xlarge': 6.624, 'r6i.2xlarge': 0.552, 'r6i.32xlarge': 8.832,
    'r6i.4xlarge': 1.104, 'r6i.8xlarge': 2.208, 'r6i.large': 0.138, 'r6i.xlarge': 0.276,
    'r7g.12xlarge': 2.8152, 'r7g.16xlarge': 3.7536, 'r7g.2xlarge': 0.4692, 'r7g.4xlarge': 0.9384,
    'r7g.8xlarge': 1.8768, 'r7g.large': 0.1173, 'r7g.medium': 0.0587, 'r7g.xlarge': 0.2346,
    'r7i.12xlarge': 3.4776, 'r7i.16xlarge': 4.6368, 'r7i.24xlarge': 6.9552, 'r7i.2xlarge': 0.5796, 'r7i.48xlarge': 13.9104,
    'r7i.4xlarge': 1.1592, 'r7i.8xlarge': 2.3184, 'r7i.large': 0.1449, 'r7i.xlarge': 0.2898,
    't3.2xlarge': 0.3712, 't3.large': 0.0928, 't3.medium': 0.0464, 't3.xlarge': 0.1856,
    't4g.2xlarge': 0.2944, 't4g.large': 0.0736, 't4g.medium': 0.0368, 't4g.xlarge': 0.1472,
  },
};
