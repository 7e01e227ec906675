/** A CRD validation rule as a test writes it: `rule`, and `message` / `messageExpression` when set. */
export interface RuleText {
  rule: string;
  message?: string;
  messageExpression?: string;
}

/**
 * Go's %#v of an apiextensions.ValidationRule with only these fields set, as kube-apiserver prints
 * the rule as the bad value of a compile error. A string is a rule with only `rule` set.
 */
export function goRule(r: string | RuleText): string {
  const { rule, message = '', messageExpression = '' } = typeof r === 'string' ? { rule: r } : r;
  return (
    `apiextensions.ValidationRule{Rule:${JSON.stringify(rule)}, Message:${JSON.stringify(message)}, ` +
    `MessageExpression:${JSON.stringify(messageExpression)}, ` +
    `Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}`
  );
}
