/**
 * The Kubernetes CEL format library (k8s.io/apiserver/pkg/cel/library/format.go):
 * `format.dns1123Label()` and the other named formats, `format.named(name)` (an optional), and
 * `<format>.validate(value)`, an optional list of the messages upstream's validator gives, none
 * when the value is valid. A format value is a map holding its name under a marker key.
 */
import { CelScalar, celFunc, celMethod, isCelMap, type CelFunc, type CelValue } from '@bufbuild/cel';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  maskTrailingDash,
} from '../validation/names.js';
import { FORMATS as STRING_FORMATS } from '../structural-schema/validate.js';
import { MAP, optionalOf } from './optional.js';

const FORMAT_KEY = '@format';
const prefixed = (check: (s: string) => readonly string[]) => (s: string) => check(maskTrailingDash(s));
const strfmt = (format: string, message: string) => (s: string) => (STRING_FORMATS[format](s) ? [] : [message]);

const FORMATS: Record<string, (s: string) => readonly string[]> = {
  dns1123Label: isDns1123Label,
  dns1123Subdomain: isDns1123Subdomain,
  dns1035Label: isDns1035Label,
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: prefixed(isDns1123Label),
  dns1123SubdomainPrefix: prefixed(isDns1123Subdomain),
  dns1035LabelPrefix: prefixed(isDns1035Label),
  labelValue: isValidLabelValue,
  uri: (s) => (/^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)\S*$/.test(s) ? [] : [`parse ${JSON.stringify(s)}: invalid URI for request`]),
  uuid: strfmt('uuid', 'does not match the UUID format'),
  byte: strfmt('byte', 'invalid base64'),
  date: strfmt('date', 'invalid date'),
  datetime: strfmt('date-time', 'invalid datetime'),
};

const formatValue = (name: string) => new Map([[FORMAT_KEY, name]]);

function formatOf(v: CelValue): (s: string) => readonly string[] {
  const name = isCelMap(v) ? v.get(FORMAT_KEY) : undefined;
  if (typeof name !== 'string') throw new Error('no such overload');
  return FORMATS[name];
}

export const FORMAT_LIBRARY: CelFunc[] = [
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], MAP, () => formatValue(name))),
  celFunc('format.named', [CelScalar.STRING], MAP, (name) => optionalOf(Object.hasOwn(FORMATS, name) ? formatValue(name) : undefined)),
  celMethod('validate', MAP, [CelScalar.STRING], MAP, function (s) {
    const messages = formatOf(this)(s);
    return optionalOf(messages.length ? messages : undefined);
  }),
];
