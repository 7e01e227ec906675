/** A cause of a 422 Status, as kube-apiserver writes it in details.causes. */
export interface Cause {
  reason: string;
  field: string;
  message: string;
}

/** The causes of a Status body, each as `field: message` (how ErrorList prints a field error). */
export function causesOf(body: { details: { causes: Pick<Cause, 'field' | 'message'>[] } }): string[] {
  return body.details.causes.map((c) => `${c.field}: ${c.message}`);
}
