/** Names the CRD kind and its controller share. */

/** The finalizer a CRD's DELETE adds; the CRD controller removes it once every custom object is gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
