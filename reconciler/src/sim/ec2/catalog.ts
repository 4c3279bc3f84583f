/**
 * The public base images every simulated Region offers, named and owned as the real ones are
 * (Canonical, Amazon, the Rocky Enterprise Software Foundation). Ids are derived from the
 * Region so they differ between Regions, as real AMI ids do, and stay stable across runs.
 */
import type { Ec2Image } from './model.js';
import { hexFrom } from '../core/random.js';

interface CatalogEntry {
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  architecture: 'x86_64' | 'arm64';
  rootDeviceName: string;
  rootSizeGiB: number;
  volumeType: string;
  creationDate: string;
}

const CANONICAL = '099720109477';
const AMAZON = '137112412989';
const ROCKY = '792107900819';

const CATALOG: readonly CatalogEntry[] = [
  {
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20250516',
    description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2025-05-16',
    ownerId: CANONICAL,
    architecture: 'x86_64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 8,
    volumeType: 'gp2',
    creationDate: '2025-05-16T09:12:41.000Z',
  },
  {
    name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-arm64-server-20250516',
    description: 'Canonical, Ubuntu, 22.04 LTS, arm64 jammy image build on 2025-05-16',
    ownerId: CANONICAL,
    architecture: 'arm64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 8,
    volumeType: 'gp2',
    creationDate: '2025-05-16T09:14:02.000Z',
  },
  {
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250610',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    ownerId: CANONICAL,
    architecture: 'x86_64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 8,
    volumeType: 'gp3',
    creationDate: '2025-06-10T07:51:19.000Z',
  },
  {
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-arm64-server-20250610',
    description: 'Canonical, Ubuntu, 24.04, arm64 noble image',
    ownerId: CANONICAL,
    architecture: 'arm64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 8,
    volumeType: 'gp3',
    creationDate: '2025-06-10T07:53:44.000Z',
  },
  {
    name: 'al2023-ami-2023.7.20250609.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.7.20250609.0 x86_64 HVM kernel-6.1',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    architecture: 'x86_64',
    rootDeviceName: '/dev/xvda',
    rootSizeGiB: 8,
    volumeType: 'gp3',
    creationDate: '2025-06-09T22:05:33.000Z',
  },
  {
    name: 'al2023-ami-2023.7.20250609.0-kernel-6.1-arm64',
    description: 'Amazon Linux 2023 AMI 2023.7.20250609.0 arm64 HVM kernel-6.1',
    ownerId: AMAZON,
    ownerAlias: 'amazon',
    architecture: 'arm64',
    rootDeviceName: '/dev/xvda',
    rootSizeGiB: 8,
    volumeType: 'gp3',
    creationDate: '2025-06-09T22:05:36.000Z',
  },
  {
    name: 'Rocky-9-EC2-Base-9.5-20241118.0.x86_64',
    description: 'Rocky-9-EC2-Base-9.5-20241118.0.x86_64',
    ownerId: ROCKY,
    architecture: 'x86_64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 10,
    volumeType: 'gp3',
    creationDate: '2024-11-18T16:20:05.000Z',
  },
  {
    name: 'Rocky-9-EC2-Base-9.5-20241118.0.aarch64',
    description: 'Rocky-9-EC2-Base-9.5-20241118.0.aarch64',
    ownerId: ROCKY,
    architecture: 'arm64',
    rootDeviceName: '/dev/sda1',
    rootSizeGiB: 10,
    volumeType: 'gp3',
    creationDate: '2024-11-18T16:24:51.000Z',
  },
];

function regionSalt(region: string): number {
  let h = 0;
  for (const ch of region) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

const cache = new Map<string, Ec2Image[]>();

/** The public images of a Region, in a fixed order. */
export function catalogImages(region: string): Ec2Image[] {
  const cached = cache.get(region);
  if (cached) return cached;
  const salt = regionSalt(region);
  const images = CATALOG.map((entry, i): Ec2Image => ({
    id: `ami-0${hexFrom(salt, i + 1, 16)}`,
    seq: -1000 + i,
    region,
    name: entry.name,
    description: entry.description,
    state: 'available',
    architecture: entry.architecture,
    rootDeviceName: entry.rootDeviceName,
    devices: [
      {
        deviceName: entry.rootDeviceName,
        snapshotId: `snap-0${hexFrom(salt ^ 0x5a5a, i + 1, 16)}`,
        volumeSize: entry.rootSizeGiB,
        volumeType: entry.volumeType,
        encrypted: false,
        deleteOnTermination: true,
      },
    ],
    creationDate: entry.creationDate,
    ownerId: entry.ownerId,
    ownerAlias: entry.ownerAlias,
    public: true,
    tags: {},
  }));
  cache.set(region, images);
  return images;
}

/** A public image of the Region by id. */
export function catalogImage(region: string, imageId: string): Ec2Image | undefined {
  return catalogImages(region).find((image) => image.id === imageId);
}
