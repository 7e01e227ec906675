/** The CustomResourceDefinition many tests install: example.com's namespaced Widget, by default one version v1 served and stored. */

/** A structural schema that keeps whatever a Widget holds. */
const ANYTHING = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** A version of the Widget CRD: served unless told otherwise; the first one listed is the storage version. */
export interface WidgetVersionFlags {
  name: string;
  served?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
}

export interface WidgetVersion {
  /** The openAPIV3Schema of every version (default: an object that keeps unknown fields). */
  schema?: Record<string, unknown>;
  /** Every version's subresources (default: none). */
  subresources?: Record<string, unknown>;
  /** The versions (default: v1 alone). */
  versions?: readonly WidgetVersionFlags[];
  /** The API group (default example.com); the CRD is named widgets.<group>. */
  group?: string;
  /** The CRD's annotations (default: none). */
  annotations?: Record<string, string>;
}

/** widgets.example.com, a fresh object each call (tests may change it). */
export function widgetCrd({
  schema = ANYTHING,
  subresources,
  versions = [{ name: 'v1' }],
  group = 'example.com',
  annotations,
}: WidgetVersion = {}) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}`, ...(annotations ? { annotations: { ...annotations } } : {}) },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: versions.map(({ name, ...flags }, i) => ({
        name,
        served: true,
        storage: i === 0,
        ...flags,
        ...(subresources ? { subresources } : {}),
        schema: { openAPIV3Schema: structuredClone(schema) },
      })),
    },
  };
}
