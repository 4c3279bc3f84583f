import type { RegionPriceBlock } from '../model.js';

/**
 * us-east-1 on-demand Linux prices, taken from /work/shared/data/ec2-ondemand-us-east-1.json
 * (Karpenter's generated table of AWS Price List Query API results). Only the types of the
 * catalogue (instance-specs.ts) are kept; every one of them is priced here.
 */
export const US_EAST_1: RegionPriceBlock = {
  region: 'us-east-1',
  source: {
    description:
      'AWS Price List Query API (AmazonEC2, OnDemand, Linux, Shared, preInstalledSw=NA) as captured in ' +
      'aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go, generated 2026-07-20T13:44:30Z',
    url: 'https://github.com/aws/karpenter-provider-aws/blob/main/pkg/providers/pricing/zz_generated.pricing_aws.go',
    retrieved: '2026-07-20',
  },
  prices: {
    'c6i.12xlarge': 2.04, 'c6i.16xlarge': 2.72, 'c6i.24xlarge': 4.08, 'c6i.2xlarge': 0.34, 'c6i.32xlarge': 5.44,
    'c6i.4xlarge': 0.68, 'c6i.8xlarge': 1.36, 'c6i.large': 0.085, 'c6i.xlarge': 0.17,
    'c7g.12xlarge': 1.74, 'c7g.16xlarge': 2.32, 'c7g.2xlarge': 0.29, 'c7g.4xlarge': 0.58,
    'c7g.8xlarge': 1.16, 'c7g.large': 0.0725, 'c7g.medium': 0.0363, 'c7g.xlarge': 0.145,
    'c7i.12xlarge': 2.142, 'c7i.16xlarge': 2.856, 'c7i.24xlarge': 4.284, 'c7i.2xlarge': 0.357, 'c7i.48xlarge': 8.568,
    'c7i.4xlarge': 0.714, 'c7i.8xlarge': 1.428, 'c7i.large': 0.08925, 'c7i.xlarge': 0.1785,
    'g4dn.12xlarge': 3.912, 'g4dn.2xlarge': 0.752,
    'g4dn.4xlarge': 1.204, 'g4dn.8xlarge': 2.176, 'g4dn.xlarge': 0.526,
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
    'p4d.24xlarge': 21.957642,
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
