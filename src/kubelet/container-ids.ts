/**
 * What a container runtime reports about images and containers, made deterministic: the fully
 * qualified image name, an image digest and a container ID derived from stable inputs.
 */
import { hash } from 'node:crypto';
import { parseImageReference } from '../resources/pods/image-reference.js';
import { boundedMemo } from '../apimachinery/bounded-memo.js';

/** One-shot hashing: no Hash object per ID (the kubelet makes one for every container it starts). */
const sha256 = (s: string): string => hash('sha256', s, 'hex');

/**
 * Images whose answers are remembered before the table starts afresh (a cluster runs few): each
 * depends on the name alone, and the kubelet asks for every container it reports.
 */
const IMAGES_REMEMBERED = 4096;

/** The registry-qualified repository of an image (`nginx` → `docker.io/library/nginx`). */
export function qualifiedRepository(image: string): string {
  const name = parseImageReference(image)?.name ?? image.split(/[@:]/)[0];
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) return name;
  return slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
}

/** The image as containerd reports it once pulled: `docker.io/library/nginx:latest`, or by digest. */
export const qualifiedImage = boundedMemo((image: string): string => {
  const ref = parseImageReference(image);
  const repo = qualifiedRepository(image);
  if (!ref) return image;
  if (ref.digest && !ref.tag) return `${repo}@${ref.digest}`;
  return `${repo}:${ref.tag}`;
}, IMAGES_REMEMBERED);

/** `docker.io/library/nginx@sha256:<64 hex>`: the given digest, or one derived from the name. */
export const imageID = boundedMemo((image: string): string => {
  const ref = parseImageReference(image);
  const digest = ref?.digest || `sha256:${sha256(`image:${qualifiedImage(image)}`)}`;
  return `${qualifiedRepository(image)}@${digest}`;
}, IMAGES_REMEMBERED);

/** `containerd://<64 hex>`, stable for a pod, container and restart count. */
export function containerID(podUid: string, container: string, restartCount = 0): string {
  return `containerd://${sha256(`container:${podUid}/${container}/${restartCount}`)}`;
}

/** The glob's regular expression, made once per pattern (the kubelet asks for every pod it looks at). */
let globPattern = '';
let globRegExp: RegExp | undefined;

/** Whether an image matches a glob (`*` = any run of characters), as failingImagePattern. */
export function imageMatches(image: string, pattern: string): boolean {
  if (!pattern) return false;
  if (pattern !== globPattern || !globRegExp) {
    const parts = pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    globRegExp = new RegExp(`^${parts.join('.*')}$`);
    globPattern = pattern;
  }
  return globRegExp.test(image);
}

/** The ID of a pod's sandbox (64 hex), stable for the pod. */
export function sandboxID(podUid: string): string {
  return sha256(`sandbox:${podUid}`);
}
