/** Name generation for metadata.generateName, as the apiserver's SimpleNameGenerator does it. */
import { randomInt } from 'node:crypto';

/** The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no easily confused characters. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const NAME_SUFFIX_LENGTH = 5;
/** 63 - 5: longer generateName prefixes are cut so the generated name fits a DNS label. */
export const MAX_GENERATED_NAME_BASE_LENGTH = 58;

export function generateNameSuffix(): string {
  let out = '';
  for (let i = 0; i < NAME_SUFFIX_LENGTH; i++) out += NAME_SUFFIX_ALPHABET[randomInt(NAME_SUFFIX_ALPHABET.length)];
  return out;
}

export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_NAME_BASE_LENGTH ? base.slice(0, MAX_GENERATED_NAME_BASE_LENGTH) : base;
  // Joined: one flat string (a concatenation would keep its two pieces for as long as the object lives).
  return [prefix, generateNameSuffix()].join('');
}
