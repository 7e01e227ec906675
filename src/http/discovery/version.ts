/**
 * `GET /version`: what a Kubernetes 1.33 apiserver reports about its build. kubectl compares
 * `major`/`minor` with its own for the skew warning and parses `gitVersion` as `vX.Y.Z[-suffix]`.
 */
import { createHash } from 'node:crypto';

export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor: string;
  emulationMinor: string;
  minCompatibilityMajor: string;
  minCompatibilityMinor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBE_MAJOR = 1;
export const KUBE_MINOR = 33;
export const KUBE_PATCH = 1;

/** Node's `process.arch` spelled as Go's GOARCH. */
export function goArch(arch: string = process.arch): string {
  const names: Record<string, string> = {
    x64: 'amd64',
    ia32: '386',
    arm64: 'arm64',
    arm: 'arm',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return names[arch] ?? 'amd64';
}

const gitVersion = `v${KUBE_MAJOR}.${KUBE_MINOR}.${KUBE_PATCH}`;
/** A stable, made-up 40-hex commit id (not upstream's): derived from the version string. */
const gitCommit = createHash('sha1').update(`kubemock ${gitVersion}`).digest('hex');

export function versionInfo(): VersionInfo {
  return {
    major: String(KUBE_MAJOR),
    minor: String(KUBE_MINOR),
    emulationMajor: String(KUBE_MAJOR),
    emulationMinor: String(KUBE_MINOR),
    minCompatibilityMajor: String(KUBE_MAJOR),
    minCompatibilityMinor: String(KUBE_MINOR - 1),
    gitVersion,
    gitCommit,
    gitTreeState: 'clean',
    buildDate: '2025-05-15T08:00:00Z',
    goVersion: 'go1.24.2',
    compiler: 'gc',
    platform: `linux/${goArch()}`,
  };
}
