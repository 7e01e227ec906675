/** The CustomResourceDefinition many tests install: example.com's namespaced Widget, one version v1 served and stored. */

/** A structural schema that keeps whatever a Widget holds. */
const ANYTHING = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

export interface WidgetVersion {
  /** The openAPIV3Schema of v1 (default: an object that keeps unknown fields). */
  schema?: Record<string, unknown>;
  /** v1's subresources (default: none). */
  subresources?: Record<string, unknown>;
  /** The API group (default example.com); the CRD is named widgets.<group>. */
  group?: string;
  /** The CRD's annotations (default: none). */
  annotations?: Record<string, string>;
}

/** widgets.example.com, a fresh object each call (tests may change it). */
export function widgetCrd({ schema = ANYTHING, subresources, group = 'example.com', annotations }: WidgetVersion = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}`, ...(annotations ? { annotations: { ...annotations } } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          ...(subresources ? { subresources } : {}),
          schema: { openAPIV3Schema: structuredClone(schema) },
        },
      ],
    },
  };
}
