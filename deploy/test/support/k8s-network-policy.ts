/**
 * A small NetworkPolicy evaluator, enough to check Wren's matrix offline: is a TCP/UDP
 * connection from one peer to another allowed by the egress policies of the source and the
 * ingress policies of the destination? Pods are matched by labels (ipBlocks match only
 * addresses outside the cluster), ports by number or by the destination's port names.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicySpec } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicySpec';

type LabelSelector = NonNullable<INetworkPolicySpec['podSelector']>;

export interface PodPeer {
  kind: 'pod';
  /** For messages. */
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: { name?: string; containerPort: number }[];
}

export interface AddressPeer {
  kind: 'address';
  name: string;
  ip: string;
}

export type Peer = PodPeer | AddressPeer;

export interface Connection {
  from: Peer;
  to: Peer;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    byLabels &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      switch (operator) {
        case 'In':
          return value !== undefined && values.includes(value);
        case 'NotIn':
          return value === undefined || !values.includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          throw new Error(`unknown selector operator ${operator}`);
      }
    })
  );
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** IPv4 only: an IPv4 address is never inside an IPv6 block. */
export function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const address = ipv4ToNumber(ip);
  const network = ipv4ToNumber(base);
  if (address === undefined || network === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(address / size) === Math.floor(network / size);
}

/** `policyNamespace` is where a peer's bare podSelector looks. */
function peerMatches(peer: INetworkPolicyPeer, other: Peer, policyNamespace: string): boolean {
  if (peer.ipBlock) {
    if (other.kind !== 'address') return false;
    return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
  }
  if (other.kind !== 'pod') return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': other.namespace };
  const inNamespace = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels)
    : other.namespace === policyNamespace;
  return inNamespace && selects(peer.podSelector, other.labels);
}

function portMatches(ports: INetworkPolicyPort[] | undefined, connection: Connection): boolean {
  if (!ports || ports.length === 0) return true;
  const protocol = connection.protocol ?? 'TCP';
  const named = connection.to.kind === 'pod' ? connection.to.ports : [];
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    const number =
      typeof entry.port === 'number' ? entry.port : named.find((p) => p.name === entry.port)?.containerPort;
    if (number === undefined) return false;
    return connection.port >= number && connection.port <= (entry.endPort ?? number);
  });
}

function governing(policies: INetworkPolicy[], pod: PodPeer, type: 'Ingress' | 'Egress'): INetworkPolicy[] {
  return policies.filter(
    (policy) =>
      (policy.metadata?.namespace ?? pod.namespace) === pod.namespace &&
      selects(policy.spec?.podSelector, pod.labels) &&
      (policy.spec?.policyTypes ?? ['Ingress']).includes(type),
  );
}

function egressAllowed(policies: INetworkPolicy[], connection: Connection): boolean {
  const { from, to } = connection;
  if (from.kind !== 'pod') return true;
  const applicable = governing(policies, from, 'Egress');
  if (applicable.length === 0) return true;
  return applicable.some((policy) =>
    (policy.spec?.egress ?? []).some(
      (rule) =>
        (!rule.to || rule.to.some((peer) => peerMatches(peer, to, from.namespace))) &&
        portMatches(rule.ports, connection),
    ),
  );
}

function ingressAllowed(policies: INetworkPolicy[], connection: Connection): boolean {
  const { from, to } = connection;
  if (to.kind !== 'pod') return true;
  const applicable = governing(policies, to, 'Ingress');
  if (applicable.length === 0) return true;
  return applicable.some((policy) =>
    (policy.spec?.ingress ?? []).some(
      (rule) =>
        (!rule.from || rule.from.some((peer) => peerMatches(peer, from, to.namespace))) &&
        portMatches(rule.ports, connection),
    ),
  );
}

export function allows(policies: INetworkPolicy[], connection: Connection): boolean {
  return egressAllowed(policies, connection) && ingressAllowed(policies, connection);
}

export function describeConnection({ from, to, port, protocol = 'TCP' }: Connection): string {
  return `${from.name} → ${to.name}:${port}/${protocol}`;
}
