/**
 * Service rules (ValidateService / ValidateServiceUpdate in Kubernetes' core validation), plus the
 * small normalisation the Service REST storage performs before validating an update, so that an
 * edit which only touches other fields keeps the allocated cluster IPs.
 */
import {
  childPath,
  duplicate,
  type FieldError,
  forbidden,
  indexPath,
  invalid,
  notSupported,
  required,
} from './field-errors.ts';
import {
  formatPointer,
  formatStruct,
  goIntOrString,
  goNull,
  goQuote,
  goString,
  goStringSlice,
} from './go-values.ts';
import { isSet, list, num, optionalNum, record, stringList, text } from './json-access.ts';
import {
  checkDNS1123Label,
  checkDNS1123Subdomain,
  checkIPAddress,
  checkPortNumber,
  checkQualifiedName,
  isIPv6Address,
  nameIsDNS1035Label,
} from './name-rules.ts';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './object-meta.ts';
import { validatePortNumOrName } from './pod-spec.ts';

function isHeadless(spec: Record<string, unknown>): boolean {
  const ips = stringList(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

/** LoadBalancer and NodePort services, and ClusterIP ones with external IPs, are reachable from outside. */
function isExternallyAccessible(spec: Record<string, unknown>): boolean {
  const type = text(spec.type);
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && stringList(spec.externalIPs).length > 0)
  );
}

/**
 * The Service as upstream validates it: when only `clusterIP` is set, `clusterIPs` is derived from
 * it, as the REST storage does on create before validation.
 */
function withClusterIPs(service: Record<string, unknown>): Record<string, unknown> {
  const spec = record(service.spec);
  if (text(spec.clusterIP) !== '' && stringList(spec.clusterIPs).length === 0) {
    return { ...service, spec: { ...spec, clusterIPs: [text(spec.clusterIP)] } };
  }
  return service;
}

function servicePortValue(port: Record<string, unknown>) {
  return {
    json: { protocol: port.protocol, port: port.port },
    text: formatStruct('core.ServicePort', [
      ['Name', '""'],
      ['Protocol', goQuote(text(port.protocol))],
      ['AppProtocol', formatPointer('string', false)],
      ['Port', String(num(port.port))],
      ['TargetPort', goIntOrString(0).text],
      ['NodePort', '0'],
    ]),
  };
}

function validateServicePort(
  port: Record<string, unknown>,
  requireName: boolean,
  names: Set<string>,
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const name = text(port.name);
  if (requireName && name === '') {
    errors.push(required(childPath(field, 'name')));
  } else if (name !== '') {
    for (const message of checkDNS1123Label(name))
      errors.push(invalid(childPath(field, 'name'), name, message));
    if (names.has(name)) errors.push(duplicate(childPath(field, 'name'), name));
    else names.add(name);
  }
  const portNumber = num(port.port);
  for (const message of checkPortNumber(portNumber))
    errors.push(invalid(childPath(field, 'port'), portNumber, message));
  const protocol = text(port.protocol);
  if (protocol === '') errors.push(required(childPath(field, 'protocol')));
  else if (!['SCTP', 'TCP', 'UDP'].includes(protocol))
    errors.push(notSupported(childPath(field, 'protocol'), protocol, ['SCTP', 'TCP', 'UDP']));
  errors.push(...validatePortNumOrName(port.targetPort, childPath(field, 'targetPort')));
  if (isSet(port.appProtocol)) {
    const appProtocol = text(port.appProtocol);
    for (const message of checkQualifiedName(appProtocol))
      errors.push(invalid(childPath(field, 'appProtocol'), appProtocol, message));
  }
  return errors;
}

function validateClusterIPsRelatedFields(spec: Record<string, unknown>): FieldError[] {
  if (text(spec.type) === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const clusterIP = text(spec.clusterIP);
  const clusterIPs = stringList(spec.clusterIPs);
  if (clusterIP !== '') {
    if (clusterIPs.length === 0) errors.push(required('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP)
      errors.push(
        invalid('spec.clusterIPs', goStringSlice(clusterIPs), 'first value must match `clusterIP`'),
      );
  } else if (clusterIPs.length > 0) {
    errors.push(
      invalid(
        'spec.clusterIPs',
        goStringSlice(clusterIPs),
        'must be empty when `clusterIP` is not specified',
      ),
    );
  }
  const families = stringList(spec.ipFamilies);
  const seen = new Set<string>();
  families.forEach((family, index) => {
    const path = indexPath('spec.ipFamilies', index);
    if (family !== 'IPv4' && family !== 'IPv6') errors.push(notSupported(path, family, ['IPv4', 'IPv6']));
    if (seen.has(family)) errors.push(duplicate(path, family));
    seen.add(family);
  });
  if (isSet(spec.ipFamilyPolicy)) {
    const policy = text(spec.ipFamilyPolicy);
    const supported = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
    if (!supported.includes(policy)) errors.push(notSupported('spec.ipFamilyPolicy', policy, supported));
  }
  let hasInvalidIPs = false;
  clusterIPs.forEach((ip, index) => {
    if (index === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        hasInvalidIPs = true;
        errors.push(
          invalid('spec.clusterIPs', goStringSlice(clusterIPs), "'None' must be the first and only value"),
        );
      }
      return;
    }
    const messages = checkIPAddress(ip);
    if (messages.length > 0) hasInvalidIPs = true;
    for (const message of messages) errors.push(invalid(indexPath('spec.clusterIPs', index), ip, message));
  });
  if (clusterIPs.length > 2)
    errors.push(invalid('spec.clusterIPs', goStringSlice(clusterIPs), 'may only hold up to 2 values'));
  if (hasInvalidIPs) return errors;
  if (clusterIPs.length > 1 && isIPv6Address(clusterIPs[0] ?? '') === isIPv6Address(clusterIPs[1] ?? '')) {
    errors.push(
      invalid(
        'spec.clusterIPs',
        goStringSlice(clusterIPs),
        'may specify no more than one IP for each IP family',
      ),
    );
  }
  if (clusterIPs.length > 0 && !(clusterIPs.length === 1 && clusterIPs[0] === 'None')) {
    clusterIPs.forEach((ip, index) => {
      const family = families[index];
      if (family === 'IPv4' && isIPv6Address(ip)) {
        errors.push(
          invalid(
            indexPath('spec.clusterIPs', index),
            ip,
            `expected an IPv4 value as indicated by \`ipFamilies[${index}]\``,
          ),
        );
      }
      if (family === 'IPv6' && !isIPv6Address(ip)) {
        errors.push(
          invalid(
            indexPath('spec.clusterIPs', index),
            ip,
            `expected an IPv6 value as indicated by \`ipFamilies[${index}]\``,
          ),
        );
      }
    });
  }
  return errors;
}

function validateNonSpecialIP(ip: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (ip === '0.0.0.0' || ip === '::') errors.push(invalid(field, ip, `may not be unspecified (${ip})`));
  if (ip.startsWith('127.') || ip === '::1')
    errors.push(invalid(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (ip.startsWith('169.254.') || /^fe[89ab]/i.test(ip)) {
    errors.push(invalid(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  }
  if (ip.startsWith('224.0.0.') || /^ff02:/i.test(ip)) {
    errors.push(invalid(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  }
  return errors;
}

function validateServiceSpec(service: Record<string, unknown>): FieldError[] {
  const spec = record(service.spec);
  const type = text(spec.type);
  const headless = isHeadless(spec);
  const ports = list(spec.ports).map(record);
  const errors: FieldError[] = [];
  if (ports.length === 0 && !headless && type !== 'ExternalName') errors.push(required('spec.ports'));
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless) {
    errors.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  }
  if (type === 'ExternalName') {
    if (stringList(spec.clusterIPs).length > 0)
      errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (stringList(spec.ipFamilies).length > 0)
      errors.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (isSet(spec.ipFamilyPolicy))
      errors.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = text(spec.externalName).replace(/\.$/, '');
    if (cname === '') errors.push(required('spec.externalName'));
    else
      for (const message of checkDNS1123Subdomain(cname))
        errors.push(invalid('spec.externalName', cname, message));
  }
  const names = new Set<string>();
  ports.forEach((port, index) => {
    errors.push(...validateServicePort(port, ports.length > 1, names, indexPath('spec.ports', index)));
  });
  if (isSet(spec.selector)) errors.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = text(spec.sessionAffinity);
  if (affinity === '') errors.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None')
    errors.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const config = record(spec.sessionAffinityConfig);
    const reason = 'when session affinity type is ClientIP';
    if (!isSet(spec.sessionAffinityConfig)) errors.push(required('spec.sessionAffinityConfig', reason));
    else if (!isSet(config.clientIP)) errors.push(required('spec.sessionAffinityConfig.clientIP', reason));
    else {
      const timeout = optionalNum(record(config.clientIP).timeoutSeconds);
      if (timeout === undefined)
        errors.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', reason));
      else if (timeout <= 0 || timeout > 86400) {
        errors.push(
          invalid(
            'spec.sessionAffinityConfig.clientIP.timeoutSeconds',
            timeout,
            'must be greater than 0 and less than 86400',
          ),
        );
      }
    }
  } else if (affinity === 'None' && isSet(spec.sessionAffinityConfig)) {
    errors.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errors.push(...validateClusterIPsRelatedFields(spec));
  stringList(spec.externalIPs).forEach((ip, index) => {
    const path = indexPath('spec.externalIPs', index);
    const messages = checkIPAddress(ip);
    if (messages.length > 0) for (const message of messages) errors.push(invalid(path, ip, message));
    else errors.push(...validateNonSpecialIP(ip, path));
  });
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (type === '') errors.push(required('spec.type'));
  else if (!types.includes(type)) errors.push(notSupported('spec.type', type, types));
  if (type === 'ClusterIP') {
    ports.forEach((port, index) => {
      if (num(port.nodePort) !== 0)
        errors.push(
          forbidden(
            childPath(indexPath('spec.ports', index), 'nodePort'),
            "may not be used when `type` is 'ClusterIP'",
          ),
        );
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, index) => {
    const nodePort = num(port.nodePort);
    if (nodePort === 0) return;
    const key = `${text(port.protocol)}/${nodePort}`;
    if (nodePorts.has(key))
      errors.push(duplicate(childPath(indexPath('spec.ports', index), 'nodePort'), nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((port, index) => {
    const key = `${text(port.protocol)}/${num(port.port)}`;
    if (portKeys.has(key)) errors.push(duplicate(indexPath('spec.ports', index), servicePortValue(port)));
    portKeys.add(key);
  });
  if (stringList(spec.loadBalancerSourceRanges).length > 0 && type !== 'LoadBalancer') {
    errors.push(forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (isSet(spec.allocateLoadBalancerNodePorts) && type !== 'LoadBalancer') {
    errors.push(
      forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"),
    );
  }
  // Upstream reports this one without the `spec.` prefix.
  if (type === 'LoadBalancer' && !isSet(spec.allocateLoadBalancerNodePorts))
    errors.push(required('allocateLoadBalancerNodePorts'));
  if (type === 'LoadBalancer') {
    if (isSet(spec.loadBalancerClass)) {
      const lbClass = text(spec.loadBalancerClass);
      for (const message of checkQualifiedName(lbClass))
        errors.push(invalid('spec.loadBalancerClass', lbClass, message));
    }
  } else if (isSet(spec.loadBalancerClass)) {
    errors.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  const trafficPolicy = text(spec.externalTrafficPolicy);
  if (!isExternallyAccessible(spec)) {
    if (trafficPolicy !== '')
      errors.push(
        invalid(
          'spec.externalTrafficPolicy',
          trafficPolicy,
          'may only be set for externally-accessible services',
        ),
      );
  } else if (trafficPolicy === '') {
    errors.push(required('spec.externalTrafficPolicy'));
  } else if (trafficPolicy !== 'Cluster' && trafficPolicy !== 'Local') {
    errors.push(notSupported('spec.externalTrafficPolicy', trafficPolicy, ['Cluster', 'Local']));
  }
  const healthCheckNodePort = num(spec.healthCheckNodePort);
  const needsHealthCheck = type === 'LoadBalancer' && trafficPolicy === 'Local';
  if (!needsHealthCheck) {
    if (healthCheckNodePort !== 0) {
      errors.push(
        invalid(
          'spec.healthCheckNodePort',
          healthCheckNodePort,
          "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
      );
    }
  } else if (healthCheckNodePort === 0) {
    errors.push(required('spec.healthCheckNodePort'));
  } else {
    for (const message of checkPortNumber(healthCheckNodePort))
      errors.push(invalid('spec.healthCheckNodePort', healthCheckNodePort, message));
  }
  if (!isSet(spec.internalTrafficPolicy)) {
    if (type === 'NodePort' || type === 'LoadBalancer' || type === 'ClusterIP')
      errors.push(required('spec.internalTrafficPolicy'));
  } else {
    const policy = text(spec.internalTrafficPolicy);
    if (policy !== 'Cluster' && policy !== 'Local')
      errors.push(notSupported('spec.internalTrafficPolicy', policy, ['Cluster', 'Local']));
  }
  if (isSet(spec.trafficDistribution) && text(spec.trafficDistribution) !== 'PreferClose') {
    errors.push(notSupported('spec.trafficDistribution', text(spec.trafficDistribution), ['PreferClose']));
  }
  return errors;
}

/**
 * What the Service REST storage does to an update before validating it: a missing clusterIP,
 * clusterIPs or healthCheckNodePort is taken from the stored Service, and a changed clusterIP
 * with unchanged clusterIPs moves into clusterIPs. Pure: returns a new object.
 */
export function normalizeServiceForUpdate(next: unknown, prev: unknown): Record<string, unknown> {
  const service = structuredClone(record(next));
  const spec = record(service.spec);
  service.spec = spec;
  const oldSpec = record(withClusterIPs(record(prev)).spec);
  const needsClusterIP = (value: Record<string, unknown>) => text(value.type) !== 'ExternalName';
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (text(spec.clusterIP) === '' && text(oldSpec.clusterIP) !== '') spec.clusterIP = oldSpec.clusterIP;
    if (stringList(spec.clusterIPs).length === 0 && stringList(oldSpec.clusterIPs).length > 0)
      spec.clusterIPs = oldSpec.clusterIPs;
  }
  const needsHealthCheck = (value: Record<string, unknown>) =>
    text(value.type) === 'LoadBalancer' && text(value.externalTrafficPolicy) === 'Local';
  if (needsHealthCheck(oldSpec) && needsHealthCheck(spec) && num(spec.healthCheckNodePort) === 0) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
  const oldIPs = stringList(oldSpec.clusterIPs);
  const sameIPs = () => JSON.stringify(stringList(spec.clusterIPs)) === JSON.stringify(oldIPs);
  if (text(oldSpec.clusterIP) !== text(spec.clusterIP)) {
    if (text(oldSpec.clusterIP) !== '' && text(spec.clusterIP) === '') {
      if (sameIPs()) delete spec.clusterIPs;
    } else if (sameIPs()) {
      spec.clusterIPs = [text(spec.clusterIP)];
    }
  }
  dropTypeDependentFields(spec, oldSpec);
  return withClusterIPs(service);
}

/**
 * When a Service changes type, fields only the old type needed are dropped, provided the user
 * left them as they were (so a deliberate new value still reaches validation).
 */
function dropTypeDependentFields(spec: Record<string, unknown>, oldSpec: Record<string, unknown>): void {
  const unchanged = (key: string) =>
    JSON.stringify(spec[key] ?? null) === JSON.stringify(oldSpec[key] ?? null);
  const type = text(spec.type);
  const oldType = text(oldSpec.type);
  if (oldType !== 'ExternalName' && type === 'ExternalName') {
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy'])
      if (unchanged(key)) delete spec[key];
  }
  const needsNodePorts = (value: string, allocate: unknown) =>
    value === 'NodePort' || (value === 'LoadBalancer' && allocate !== false);
  if (
    needsNodePorts(oldType, oldSpec.allocateLoadBalancerNodePorts) &&
    !needsNodePorts(type, spec.allocateLoadBalancerNodePorts)
  ) {
    const oldPorts = list(oldSpec.ports).map(record);
    for (const port of list(spec.ports).map(record)) {
      const before = oldPorts.find(
        (candidate) =>
          num(candidate.port) === num(port.port) && text(candidate.protocol) === text(port.protocol),
      );
      if (before && num(before.nodePort) === num(port.nodePort)) delete port.nodePort;
    }
  }
  if (type !== 'LoadBalancer') {
    for (const key of ['allocateLoadBalancerNodePorts', 'loadBalancerClass'])
      if (unchanged(key)) delete spec[key];
    if (unchanged('healthCheckNodePort')) delete spec.healthCheckNodePort;
  }
  const externallyAccessible =
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && stringList(spec.externalIPs).length > 0);
  if (!externallyAccessible && unchanged('externalTrafficPolicy')) delete spec.externalTrafficPolicy;
}

function validateServiceUpdateTransitions(
  spec: Record<string, unknown>,
  oldSpec: Record<string, unknown>,
): FieldError[] {
  const errors: FieldError[] = [];
  if (text(spec.type) === 'ExternalName' || text(oldSpec.type) === 'ExternalName') return errors;
  const newIPs = stringList(spec.clusterIPs);
  const oldIPs = stringList(oldSpec.clusterIPs);
  const newHeadless = isHeadless(spec);
  const oldHeadless = isHeadless(oldSpec);
  const shownIPs = isSet(spec.clusterIPs) ? goStringSlice(newIPs) : goStringSlice(null);
  if (!(oldHeadless && newHeadless)) {
    if (oldIPs.length === newIPs.length) {
      oldIPs.forEach((ip, index) => {
        if (ip !== newIPs[index])
          errors.push(invalid(indexPath('spec.clusterIPs', index), shownIPs, 'may not change once set'));
      });
    } else if (oldIPs.length > newIPs.length) {
      if (newIPs.length === 0)
        errors.push(invalid('spec.clusterIPs[0]', shownIPs, 'primary clusterIP can not be unset'));
      if (oldIPs.length > 0 && newIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
        errors.push(invalid('spec.clusterIPs[0]', shownIPs, 'may not change once set'));
      }
      if (newIPs.length === 1 && text(spec.ipFamilyPolicy) !== 'SingleStack') {
        const policy = isSet(spec.ipFamilyPolicy) ? goString(text(spec.ipFamilyPolicy)) : goNull();
        errors.push(
          invalid(
            'spec.ipFamilyPolicy',
            policy,
            "must be set to 'SingleStack' when releasing the secondary clusterIP",
          ),
        );
      }
    } else if (oldIPs.length > 0 && newIPs[0] !== oldIPs[0]) {
      errors.push(invalid('spec.clusterIPs[0]', shownIPs, 'may not change once set'));
    }
  }
  if (newHeadless === oldHeadless && !newHeadless) {
    const newFamilies = stringList(spec.ipFamilies);
    const oldFamilies = stringList(oldSpec.ipFamilies);
    if (newFamilies.length === oldFamilies.length) {
      oldFamilies.forEach((family, index) => {
        if (family !== newFamilies[index]) {
          errors.push(
            invalid(
              'spec.ipFamilies[0]',
              goStringSlice(newFamilies, '[]core.IPFamily'),
              'may not change once set',
            ),
          );
        }
      });
    }
  }
  if (text(oldSpec.type) === 'LoadBalancer' && text(spec.type) === 'LoadBalancer') {
    if (
      text(oldSpec.loadBalancerClass) !== text(spec.loadBalancerClass) ||
      isSet(oldSpec.loadBalancerClass) !== isSet(spec.loadBalancerClass)
    ) {
      const value = isSet(spec.loadBalancerClass) ? goString(text(spec.loadBalancerClass)) : goNull();
      errors.push(invalid('spec.loadBalancerClass', value, 'may not change once set'));
    }
  }
  const needsHealthCheck = (value: Record<string, unknown>) =>
    text(value.type) === 'LoadBalancer' && text(value.externalTrafficPolicy) === 'Local';
  if (
    needsHealthCheck(oldSpec) &&
    needsHealthCheck(spec) &&
    num(spec.healthCheckNodePort) !== num(oldSpec.healthCheckNodePort)
  ) {
    errors.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errors;
}

/** A Service on create, or on update when `old` is given. */
export function validateService(object: unknown, old?: unknown): FieldError[] {
  if (!old) {
    const service = withClusterIPs(record(object));
    return [
      ...validateObjectMeta(service.metadata, { namespaced: true, nameRule: nameIsDNS1035Label }),
      ...validateServiceSpec(service),
    ];
  }
  const service = normalizeServiceForUpdate(object, old);
  const oldService = withClusterIPs(record(old));
  return [
    ...validateObjectMetaUpdate(service.metadata, oldService.metadata),
    ...validateServiceUpdateTransitions(record(service.spec), record(oldService.spec)),
    // Upstream's update validation runs the create-time metadata rules too.
    ...validateObjectMeta(service.metadata, { namespaced: true, nameRule: nameIsDNS1035Label }),
    ...validateServiceSpec(service),
  ];
}
