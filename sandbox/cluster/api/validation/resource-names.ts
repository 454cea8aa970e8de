/**
 * Compute resource names and quantities (core/helper in Kubernetes): which names a container may
 * request, which a ResourceQuota may limit, which must be whole numbers, and the checks on their
 * quantities that containers, claims and quotas share.
 */
import { type FieldError, invalid } from './field-errors.ts';
import { formatStruct, type GoValue, goQuote } from './go-values.ts';
import { checkQualifiedName } from './name-rules.ts';
import { NEGATIVE_MESSAGE } from './object-meta.ts';
import { formatQuantity, isWholeQuantity, parseQuantity, type Quantity } from './quantity.ts';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);

const STANDARD_QUOTA_RESOURCES = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);

const INTEGER_RESOURCES = new Set([
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'services.nodeports',
  'services.loadbalancers',
]);

/** hugepages-2Mi and friends. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

/** Built-in names: no domain, or a kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Device-plugin style names such as `example.com/gpu`. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return checkQualifiedName(`requests.${name}`).length === 0;
}

/** Resources a request may exceed its limit for (all native ones except hugepages). */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Resources counted in whole units: object counts and extended resources. */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** Common checks of a resource name: a qualified name, and standard when it has no domain. */
export function validateResourceName(name: string, field: string): FieldError[] {
  const errors = checkQualifiedName(name).map((message) => invalid(field, name, message));
  if (errors.length > 0) return errors;
  if (!name.includes('/') && !STANDARD_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) {
    errors.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
  }
  return errors;
}

/** A resource a container may request: cpu, memory, ephemeral-storage, hugepages-*, or extended. */
export function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errors = validateResourceName(name, field);
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePageResourceName(name)) {
      errors.push(invalid(field, name, 'must be a standard resource for containers'));
    }
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errors.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/** A resource a ResourceQuota may limit. */
export function validateQuotaResourceName(name: string, field: string): FieldError[] {
  const errors = validateResourceName(name, field);
  if (!name.includes('/') && !STANDARD_QUOTA_RESOURCES.has(name) && !isQuotaHugePageResourceName(name)) {
    errors.push(invalid(field, name, 'must be a standard resource for quota'));
  }
  return errors;
}

/**
 * How `%#v` prints a resource.Quantity passed by value (its String method needs a pointer, so Go
 * dumps the struct). Approximates the parsed int64 form, which is what small quantities use.
 */
export function goQuantityStruct(input: unknown, quantity: Quantity): GoValue {
  const value = quantity.mantissa * (quantity.negative ? -1n : 1n);
  const format = goQuote(quantity.format);
  const original = typeof input === 'string' && input === formatQuantity(quantity) ? goQuote(input) : '""';
  const text = formatStruct('resource.Quantity', [
    [
      'i',
      formatStruct('resource.int64Amount', [
        ['value', String(value)],
        ['scale', String(quantity.scale)],
      ]),
    ],
    ['d', 'resource.infDecAmount{Dec:(*inf.Dec)(nil)}'],
    ['s', original],
    ['Format', format],
  ]);
  return { json: input, text };
}

/** A quantity must not be negative, and counted resources must be whole. */
export function validateResourceQuantityValue(resource: string, input: unknown, field: string): FieldError[] {
  const quantity = parseQuantity(input);
  if (!quantity) return [];
  const errors: FieldError[] = [];
  if (quantity.negative && quantity.mantissa > 0n)
    errors.push(invalid(field, formatQuantity(quantity), NEGATIVE_MESSAGE));
  if (isIntegerResourceName(resource) && !isWholeQuantity(quantity)) {
    errors.push(invalid(field, goQuantityStruct(input, quantity), 'must be an integer'));
  }
  return errors;
}
