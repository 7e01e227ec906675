/**
 * The scheduling parts of pkg/api/pod's warningsForPodSpecAndMeta: deprecated node labels in the
 * nodeSelector, in node affinity terms' match expressions and as a topology spread key (with the
 * table of pkg/api/node's GetNodeLabelDeprecatedMessage), values of a preferred node affinity term
 * that are not valid label values (validation lets those through, and refuses them in a required
 * term), and a null labelSelector in a topology spread constraint or a pod (anti-)affinity term,
 * which matches no pod.
 */
import type { FieldPath } from '../../apimachinery/field-errors.js';
import type { Obj } from '../../apimachinery/json-fields.js';
import { asObj, list, objList, str } from '../../apimachinery/json-fields.js';
import { isValidLabelValue } from '../../apimachinery/validation/names.js';

const DEPRECATED_NODE_LABELS: Record<string, string> = {
  'beta.kubernetes.io/arch': 'deprecated since v1.14; use "kubernetes.io/arch" instead',
  'beta.kubernetes.io/os': 'deprecated since v1.14; use "kubernetes.io/os" instead',
  'failure-domain.beta.kubernetes.io/region': 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
  'failure-domain.beta.kubernetes.io/zone': 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
  'beta.kubernetes.io/instance-type': 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
  'app.kubernetes.io/created-by': 'deprecated since v1.9',
  'scheduler.alpha.kubernetes.io/preferAvoidPods': 'deprecated since v1.22; use Taints and Tolerations instead',
  'node-role.kubernetes.io/master': 'use "node-role.kubernetes.io/control-plane" instead',
};

const NULL_SELECTOR = 'a null labelSelector results in matching no pod';

const deprecationOf = (label: string): string | undefined =>
  Object.hasOwn(DEPRECATED_NODE_LABELS, label) ? DEPRECATED_NODE_LABELS[label] : undefined;

/** GetWarningsForNodeSelectorTerm: per match expression its key, then (`checkValues`) each value. */
function nodeSelectorTermWarnings(term: unknown, checkValues: boolean, at: FieldPath, warnings: string[]): void {
  objList(asObj(term)?.matchExpressions).forEach((expression, i) => {
    const expressionPath = at.child('matchExpressions').index(i);
    const key = str(expression.key);
    const message = deprecationOf(key);
    if (message) warnings.push(`${String(expressionPath.child('key'))}: ${key} is ${message}`);
    if (!checkValues) return;
    list(expression.values).forEach((raw, j) => {
      const value = str(raw);
      for (const problem of isValidLabelValue(value)) {
        warnings.push(`${String(expressionPath.child('values').index(j))}: ${value} is invalid, ${problem}`);
      }
    });
  });
}

/** The node label and topology spread warnings, which come first of all. */
export function nodeLabelWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const nodeSelector = asObj(spec.nodeSelector);
  if (nodeSelector) {
    for (const key of Object.keys(nodeSelector)) {
      const message = deprecationOf(key);
      if (message) warnings.push(`${String(specPath.child('nodeSelector').key(key))}: ${message}`);
    }
  }
  const nodeAffinity = asObj(asObj(spec.affinity)?.nodeAffinity);
  if (nodeAffinity) {
    const required = asObj(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    const termsPath = specPath.child('affinity').child('nodeAffinity').child('requiredDuringSchedulingIgnoredDuringExecution');
    objList(required?.nodeSelectorTerms).forEach((term, i) =>
      nodeSelectorTermWarnings(term, false, termsPath.child('nodeSelectorTerms').index(i), warnings),
    );
    const preferredPath = specPath.child('affinity').child('nodeAffinity').child('preferredDuringSchedulingIgnoredDuringExecution');
    objList(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) =>
      nodeSelectorTermWarnings(term.preference, true, preferredPath.index(i).child('preference'), warnings),
    );
  }
  objList(spec.topologySpreadConstraints).forEach((constraint, i) => {
    const at = specPath.child('topologySpreadConstraints').index(i);
    const key = str(constraint.topologyKey);
    const message = deprecationOf(key);
    if (message) warnings.push(`${String(at.child('topologyKey'))}: ${key} is ${message}`);
    if (constraint.labelSelector == null) warnings.push(`${String(at.child('labelSelector'))}: ${NULL_SELECTOR}`);
  });
}

/** The null labelSelector warnings of pod affinity and anti-affinity terms, which come last. */
export function podAffinityWarnings(spec: Obj, specPath: FieldPath, warnings: string[]): void {
  const affinity = asObj(spec.affinity);
  if (!affinity) return;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const terms = asObj(affinity[kind]);
    if (!terms) continue;
    const at = specPath.child('affinity').child(kind);
    objList(terms.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      if (term.labelSelector == null) {
        warnings.push(
          `${String(at.child('requiredDuringSchedulingIgnoredDuringExecution').index(i).child('labelSelector'))}: ${NULL_SELECTOR}`,
        );
      }
    });
    objList(terms.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
      if (asObj(term.podAffinityTerm)?.labelSelector == null) {
        const selectorPath = at
          .child('preferredDuringSchedulingIgnoredDuringExecution')
          .index(i)
          .child('podAffinityTerm')
          .child('labelSelector');
        warnings.push(`${String(selectorPath)}: ${NULL_SELECTOR}`);
      }
    });
  }
}
