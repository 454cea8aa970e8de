/**
 * String format rules of Kubernetes (k8s.io/apimachinery util/validation): DNS names, qualified
 * names, label values, port names, config keys, percentages. Each check returns upstream's messages
 * (empty when the value is valid); callers turn each message into one field error. The regex text
 * inside the messages is exactly what the API server prints, so kubectl output matches a real cluster.
 */

/** `must be no more than 63 characters`. */
export function maxLenMessage(length: number): string {
  return `must be no more than ${length} characters`;
}

/** Upstream's RegexError: the explanation, examples, and the regex used. */
export function regexMessage(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  // Upstream puts ", " after every example and " or " before all but the first, hence `'a',  or 'b'`.
  let text = `${message} (e.g. `;
  examples.forEach((example, index) => {
    if (index > 0) text += ' or ';
    text += `'${example}', `;
  });
  return `${text}regex used for validation is '${format}')`;
}

/** `must be between 1 and 65535, inclusive`. */
export function inclusiveRangeMessage(low: number, high: number): string {
  return `must be between ${low} and ${high}, inclusive`;
}

/** Byte length as Go's len() counts it (UTF-8), which is what every upstream limit means. */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function anchored(format: string): RegExp {
  return new RegExp(`^(?:${format})$`);
}

const QNAME_CHAR = '[A-Za-z0-9]';
const QNAME_EXT_CHAR = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FORMAT = `(${QNAME_CHAR}${QNAME_EXT_CHAR}*)?${QNAME_CHAR}`;
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX = 63;
const QUALIFIED_NAME_RE = anchored(QUALIFIED_NAME_FORMAT);

/**
 * A "qualified name" such as a label key: `name` or `prefix/name`, the prefix a DNS subdomain.
 * Example: `app.kubernetes.io/name` passes, `my key` fails with
 * `name part must consist of alphanumeric characters, ...`.
 */
export function checkQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errors.push('prefix part must be non-empty');
    else for (const message of checkDNS1123Subdomain(prefix)) errors.push(`prefix part ${message}`);
  } else {
    return [
      `a qualified name ${regexMessage(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errors.push('name part must be non-empty');
  else if (byteLength(name) > QUALIFIED_NAME_MAX)
    errors.push(`name part ${maxLenMessage(QUALIFIED_NAME_MAX)}`);
  if (!QUALIFIED_NAME_RE.test(name)) {
    errors.push(
      `name part ${regexMessage(QUALIFIED_NAME_MESSAGE, QUALIFIED_NAME_FORMAT, 'MyName', 'my.name', '123-abc')}`,
    );
  }
  return errors;
}

const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_RE = anchored(LABEL_VALUE_FORMAT);

/** A label value: empty, or up to 63 characters of `[-A-Za-z0-9_.]` starting and ending alphanumeric. */
export function checkLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenMessage(63));
  if (!LABEL_VALUE_RE.test(value))
    errors.push(regexMessage(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'));
  return errors;
}

const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_RE = anchored(DNS1123_LABEL_FORMAT);
const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_RE = anchored(DNS1123_SUBDOMAIN_FORMAT);

/** An RFC 1123 label (namespace names, container names): at most 63 of `[a-z0-9-]`, no dots. */
export function checkDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenMessage(63));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a valid label (length already checked) can only have dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errors.push('must not contain dots');
    else errors.push(regexMessage(DNS1123_LABEL_MESSAGE, DNS1123_LABEL_FORMAT, 'my-name', '123-abc'));
  }
  return errors;
}

/** An RFC 1123 subdomain (most object names): at most 253 of `[a-z0-9.-]`, dot-separated labels. */
export function checkDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push(maxLenMessage(253));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errors.push(regexMessage(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, 'example.com'));
  }
  return errors;
}

const DNS1035_LABEL_FORMAT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_RE = anchored(DNS1035_LABEL_FORMAT);

/** An RFC 1035 label (Service names): like an RFC 1123 label but starting with a letter. */
export function checkDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push(maxLenMessage(63));
  if (!DNS1035_LABEL_RE.test(value))
    errors.push(regexMessage(DNS1035_LABEL_MESSAGE, DNS1035_LABEL_FORMAT, 'my-name', 'abc-123'));
  return errors;
}

/** A name rule: `prefix` is true for generateName, whose trailing dash is allowed. */
export type NameRule = (name: string, prefix: boolean) => string[];

/** generateName may end in '-' because a random suffix follows; upstream masks it before checking. */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** Names that must be DNS subdomains: Deployment, Pod, ConfigMap, Secret, ... */
export const nameIsDNSSubdomain: NameRule = (name, prefix) =>
  checkDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS labels: Namespace, StatefulSet. */
export const nameIsDNSLabel: NameRule = (name, prefix) =>
  checkDNS1123Label(prefix ? maskTrailingDash(name) : name);

/** Names that must be DNS-1035 labels: Service. */
export const nameIsDNS1035Label: NameRule = (name, prefix) =>
  checkDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** RBAC names only need to be safe as a URL path segment. */
export const nameIsPathSegment: NameRule = (name, prefix) => {
  if (!prefix) {
    if (name === '.' || name === '..') return [`may not be '${name}'`];
  }
  const errors: string[] = [];
  if (name.includes('/')) errors.push("may not contain '/'");
  if (name.includes('%')) errors.push("may not contain '%'");
  return errors;
};

/** A port number 1..65535. */
export function checkPortNumber(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeMessage(1, 65535)];
}

/** An IANA service name as a port name: at most 15 of `[-a-z0-9]`, at least one letter, no `--`, no edge dash. */
export function checkPortName(port: string): string[] {
  const errors: string[] = [];
  if (byteLength(port) > 15) errors.push(maxLenMessage(15));
  if (!/^[-a-z0-9]+$/.test(port))
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-')))
    errors.push('must not begin or end with a hyphen');
  return errors;
}

const PERCENT_FORMAT = '[0-9]+%';
const PERCENT_RE = anchored(PERCENT_FORMAT);

/** `25%`: digits then a percent sign. */
export function checkPercent(value: string): string[] {
  return PERCENT_RE.test(value)
    ? []
    : [
        regexMessage(
          "a valid percent string must be a numeric string followed by an ending '%'",
          PERCENT_FORMAT,
          '1%',
          '93%',
        ),
      ];
}

const CONFIG_KEY_FORMAT = '[-._a-zA-Z0-9]+';
const CONFIG_KEY_RE = anchored(CONFIG_KEY_FORMAT);

/** A ConfigMap or Secret key: `[-._a-zA-Z0-9]+`, at most 253 bytes, not `.`/`..`/`..x`. */
export function checkConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push(maxLenMessage(253));
  if (!CONFIG_KEY_RE.test(value)) {
    errors.push(
      regexMessage(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_KEY_FORMAT,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/**
 * An environment variable name. Kubernetes 1.32 enables RelaxedEnvironmentVariableValidation by
 * default: any printable ASCII except '=' is allowed.
 */
export function checkEnvVarName(value: string): string[] {
  if (value.length === 0) return ['environment variable name must be non-empty'];
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x7e || code < 0x20 || char === '=') {
      return [
        "a valid environment variable name must consist only of printable ASCII characters other than '='",
      ];
    }
  }
  return [];
}

const HTTP_HEADER_FORMAT = '[-A-Za-z0-9]+';

/** An HTTP header name for probes. */
export function checkHTTPHeaderName(value: string): string[] {
  return anchored(HTTP_HEADER_FORMAT).test(value)
    ? []
    : [
        regexMessage(
          "a valid HTTP header must consist of alphanumeric characters or '-'",
          HTTP_HEADER_FORMAT,
          'X-Header-Name',
        ),
      ];
}

/** An IPv4 or IPv6 address (Go's net.ParseIP, plus leading zeros in IPv4 as ParseIPSloppy allows). */
export function isIPAddress(value: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return value.split('.').every((part) => Number(part) <= 255);
  if (!value.includes(':')) return false;
  return isIPv6Address(value);
}

/** True for an IPv6 address in any of its textual forms, including an embedded IPv4 tail. */
export function isIPv6Address(value: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(value)) return false;
  let address = value;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An IPv4 tail such as ::ffff:10.0.0.1 stands for the last two 16-bit groups.
    if (!isIPAddress(tail)) return false;
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const all = [...groups(halves[0] ?? ''), ...(halves.length === 2 ? groups(halves[1] ?? '') : [])];
  if (!all.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? all.length < 8 : all.length === 8;
}

/** `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` when not an IP. */
export function checkIPAddress(value: string): string[] {
  return isIPAddress(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}
