/**
 * Public base OS images per environment OS: who publishes them and how they are named, so the
 * EC2 adapter can list them with DescribeImages filters and the planner can pick the newest.
 */
import { globToRegExp } from './glob.js';

/** How to find one OS's public images. */
export interface BaseImageQuery {
  /** Publisher account. */
  owner: string;
  /** DescribeImages `name` filter (EC2 wildcards `*` and `?`). */
  namePattern: string;
}

const UBUNTU = '099720109477';
const AMAZON = '137112412989';
const ROCKY = '792107900819';

/** The DescribeImages query for a base OS and architecture. */
export function baseImageQuery(
  os: 'ubuntu-22.04' | 'ubuntu-24.04' | 'amazonlinux-2023' | 'rocky-9',
  architecture: 'x86_64' | 'arm64',
): BaseImageQuery {
  switch (os) {
    case 'ubuntu-22.04':
      return {
        owner: UBUNTU,
        namePattern: `ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-${architecture === 'arm64' ? 'arm64' : 'amd64'}-server-*`,
      };
    case 'ubuntu-24.04':
      return {
        owner: UBUNTU,
        namePattern: `ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-${architecture === 'arm64' ? 'arm64' : 'amd64'}-server-*`,
      };
    case 'amazonlinux-2023':
      return { owner: AMAZON, namePattern: `al2023-ami-2023.*-kernel-6.1-${architecture}` };
    case 'rocky-9':
      return { owner: ROCKY, namePattern: `Rocky-9-EC2-Base-9.*.${architecture === 'arm64' ? 'aarch64' : 'x86_64'}` };
  }
}

/** True when an image name matches an EC2 wildcard pattern. */
export function matchesImageName(pattern: string, name: string): boolean {
  return globToRegExp(pattern).test(name);
}
