// The bearer token the page sends with every request when the server authenticates requests: given
// once in the URL's fragment (#token=…, which a browser never sends to a server), kept for this
// tab in sessionStorage, and taken out of the address bar so it is not shared with a copied link.

const KEY = 'kubemock.token';

const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromFragment) {
  sessionStorage.setItem(KEY, fromFragment);
  history.replaceState(null, '', location.pathname + location.search);
}
const token = sessionStorage.getItem(KEY);

/** The headers with `Authorization: Bearer <token>` added when the page was given a token. */
export function withCredentials(headers) {
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}
