/**
 * The upstream protobuf message of every kind a request body may carry, by "<apiVersion>/<Kind>":
 * each served kind (its definition's `protobuf`), the kinds its subresources accept (pods/binding's
 * Binding, pods/eviction's policy/v1 and v1beta1 Eviction) and DeleteOptions. Derived from the
 * definitions; the protobuf decoder looks messages up here by their full name.
 */
import { DELETE_OPTIONS_KINDS, apiVersionOf, type RequestKind } from '../registry/resource-definition.js';
import { servedDefinitions } from '../registry/served-versions.js';
import { resources } from './index.js';

const requestKinds: RequestKind[] = [
  ...servedDefinitions(resources).flatMap((def) => [def, ...(def.extraSubresources ?? []).flatMap((sub) => sub.requestKinds ?? [])]),
  ...DELETE_OPTIONS_KINDS,
];

/** Full upstream message name ('k8s.io.api.core.v1.Pod') by "<apiVersion>/<Kind>" ('v1/Pod'). */
const messagesByKind: ReadonlyMap<string, string> = new Map(
  requestKinds.filter((k) => k.protobuf !== '').map((k) => [`${apiVersionOf(k)}/${k.kind}`, k.protobuf]),
);

/** The upstream protobuf message of a request body's apiVersion and kind; undefined when none is accepted. */
export function protobufMessageOf(apiVersion: string, kind: string): string | undefined {
  return messagesByKind.get(`${apiVersion}/${kind}`);
}

/** Every accepted "<apiVersion>/<Kind>" with its upstream message. */
export function protobufMessages(): ReadonlyMap<string, string> {
  return messagesByKind;
}
