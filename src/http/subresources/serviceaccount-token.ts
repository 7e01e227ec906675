/**
 * `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token` with an authentication.k8s.io/v1
 * TokenRequest (upstream's TokenREST): a JWT for the account, optionally bound to a pod, node or
 * secret, answered 201 with the request, its defaults and the token. Nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { isPlainObject, type KubeObject } from '../../apimachinery/object.js';
import { badRequest, conflict, StatusError } from '../../apimachinery/status.js';
import type { Registry } from '../../registry/registry.js';
import { checkBodyKind } from '../../registry/type-meta.js';
import type { TokenIssuer } from '../../resources/serviceaccounts/token-issuer.js';
import {
  parseTokenRequest,
  TOKEN_REQUEST_KIND,
  tokenClaims,
  tokenRequestResponse,
  validateTokenRequest,
  type ClaimRef,
  type TokenRequestSpec,
  type TokenSubject,
} from '../../resources/serviceaccounts/token-request.js';
import { decodeObjectBody, jsonBodyNumbers } from '../content.js';
import { sendObject } from '../reply.js';
import type { HandlerContext } from '../handlers/context.js';
import { checkDryRun } from '../field-validation.js';
import { queryValues } from '../../apimachinery/query-params.js';
import type { SubresourceHandler } from './index.js';

const refOf = (obj: KubeObject): ClaimRef => ({ name: obj.metadata.name!, uid: obj.metadata.uid });

/** The bound object's claims (TokenREST's switch on the reference's group and kind); 404 when it is missing. */
function boundSubject(
  registry: Registry,
  namespace: string,
  account: string,
  spec: TokenRequestSpec,
): Omit<TokenSubject, 'serviceAccount'> {
  const ref = spec.boundObjectRef;
  if (!ref) return {};
  const apiVersion = ref.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const kind = ref.kind ?? '';
  const name = ref.name ?? '';
  let bound: KubeObject;
  const subject: Omit<TokenSubject, 'serviceAccount'> = {};
  if (group === '' && kind === 'Pod') {
    bound = registry.store('pods').get(namespace, name);
    const spec = (bound as { spec?: { serviceAccountName?: string; nodeName?: string } }).spec;
    if (spec?.serviceAccountName !== account) {
      throw badRequest(`cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`);
    }
    subject.pod = refOf(bound);
    // ServiceAccountTokenPodNodeInfo: the pod's node, by name alone when the Node object is gone.
    if (spec.nodeName) {
      const node = registry.store('nodes').tryGet(undefined, spec.nodeName);
      subject.node = node ? refOf(node) : { name: spec.nodeName };
    }
  } else if (group === '' && kind === 'Node') {
    bound = registry.store('nodes').get(undefined, name);
    subject.node = refOf(bound);
  } else if (group === '' && kind === 'Secret') {
    bound = registry.store('secrets').get(namespace, name);
    subject.secret = refOf(bound);
  } else {
    throw badRequest(`cannot bind token to object of type ${group}/${version}, Kind=${kind}`);
  }
  if (ref.uid && ref.uid !== bound.metadata.uid) {
    throw conflict(
      { group, resource: kind },
      name,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return subject;
}

export function serviceAccountToken(issuer: TokenIssuer): SubresourceHandler {
  return async (c: HandlerContext) => {
    if (c.info.verb !== 'create' || !c.info.name) {
      throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    checkDryRun(queryValues(c.rawQuery.dryRun), 'CreateOptions');
    const body = decodeObjectBody(c.request.headers['content-type'], c.request.body);
    if (body !== null && body !== undefined && !isPlainObject(body)) throw badRequest("Object 'TokenRequest' is not a JSON object");
    if (isPlainObject(body)) checkBodyKind(body, TOKEN_REQUEST_KIND, c.request.body);
    const namespace = c.info.namespace!;
    const name = c.info.name;
    const req = parseTokenRequest(body, namespace, name, jsonBodyNumbers(c.request.headers['content-type'], c.request.body));
    const account = c.store.get(namespace, name); // 404 serviceaccounts "<name>" not found
    validateTokenRequest(req.spec);
    const subject: TokenSubject = {
      serviceAccount: { namespace, name, uid: account.metadata.uid! },
      ...boundSubject(c.registry, namespace, name, req.spec),
    };
    const now = c.registry.options.clock.now();
    const token = await issuer.sign(tokenClaims(subject, req.spec, now, randomUUID()));
    sendObject(c.reply, 201, tokenRequestResponse(req, token, now), c.format);
  };
}
