/**
 * The `deprecated.daemonset.template.generation` annotation: how apps/v1 carries the internal
 * spec.templateGeneration of a DaemonSet (pkg/apis/apps/v1/conversion.go). On input the value is
 * parsed with strconv.ParseInt(v, 10, 64); a bad value fails the decode with strconv's message.
 */
import type { KubeObject } from '../../apimachinery/object.js';
import { goParseInt64 } from '../../apimachinery/go-strconv.js';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export type ParsedTemplateGeneration = { value: number } | { error: string };

/** strconv.ParseInt(raw, 10, 64), with strconv's error text on failure. */
export function parseTemplateGeneration(raw: string): ParsedTemplateGeneration {
  const parsed = goParseInt64(raw);
  return parsed.error === undefined ? { value: Number(parsed.value) } : { error: parsed.error };
}

/**
 * Checks the annotation a client sent: undefined when it is absent or a valid int64, otherwise the
 * error message of the 400 BadRequest a real server answers with.
 */
export function templateGenerationError(obj: KubeObject): string | undefined {
  const raw = obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (raw === undefined) return undefined;
  const parsed = parseTemplateGeneration(raw);
  return 'error' in parsed ? parsed.error : undefined;
}

/** The template generation an object carries, or undefined when the annotation is absent or not an int64. */
export function templateGenerationOf(obj: KubeObject): number | undefined {
  const raw = obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (raw === undefined) return undefined;
  const parsed = parseTemplateGeneration(raw);
  return 'value' in parsed ? parsed.value : undefined;
}

/** Sets the annotation to the decimal form of `generation` (as every apps/v1 read shows it). */
export function withTemplateGeneration<T extends KubeObject>(obj: T, generation: number): T {
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(generation) };
  return obj;
}

/** Removes the annotation (the internal object has no such annotation); a now-empty map is dropped. */
export function withoutTemplateGeneration<T extends KubeObject>(obj: T): T {
  const annotations = obj.metadata?.annotations;
  if (!annotations || !(TEMPLATE_GENERATION_ANNOTATION in annotations)) return obj;
  const { [TEMPLATE_GENERATION_ANNOTATION]: _dropped, ...rest } = annotations;
  if (Object.keys(rest).length) obj.metadata.annotations = rest;
  else delete obj.metadata.annotations;
  return obj;
}
