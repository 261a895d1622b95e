/**
 * Wren's rendered pods as NetworkPolicy peers, the peers around them (DNS, Prometheus, the
 * collector, PostgreSQL, the internet), and the gRPC calls the configuration really makes.
 */
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { containerEnv } from './k8s-container-env.js';
import { containerPortNumber, type Manifest, matchesLabels, named, ofKind, onlyContainer } from './k8s-manifests.js';
import type { AddressPeer, Connection, PodPeer } from './k8s-network-policy.js';
import { calledAddresses } from './wren-processes.js';

export function networkPolicies(manifests: Manifest[]): INetworkPolicy[] {
  return ofKind(manifests, 'NetworkPolicy') as unknown as INetworkPolicy[];
}

/** Every Deployment's and Job's pod, by the name of what owns it. */
export function wrenPods(manifests: Manifest[]): Map<string, PodPeer> {
  const pods = new Map<string, PodPeer>();
  for (const owner of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
    const container = onlyContainer(owner.spec.template);
    pods.set(owner.metadata.name, {
      kind: 'pod',
      name: owner.metadata.name,
      namespace: owner.metadata.namespace ?? 'default',
      labels: owner.spec.template.metadata?.labels ?? {},
      ports: (container.ports ?? []).map(({ name, containerPort }) => ({ name, containerPort })),
    });
  }
  return pods;
}

const pod = (name: string, namespace: string, labels: Record<string, string>, port: number): PodPeer => ({
  kind: 'pod',
  name,
  namespace,
  labels,
  ports: [{ containerPort: port }],
});

/** What the network-policies component assumes around the namespace. */
export const surroundings = {
  kubeDns: pod('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }, 53),
  prometheus: pod('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }, 9090),
  otherMonitoringPod: pod('grafana', 'monitoring', { 'app.kubernetes.io/name': 'grafana' }, 3000),
  collector: pod('otel-collector', 'monitoring', { 'app.kubernetes.io/name': 'opentelemetry-collector' }, 4318),
  podInOtherNamespace: pod('other-app', 'other', { 'app.kubernetes.io/name': 'other-app' }, 8080),
  internetHost: { kind: 'address', name: 'a push service', ip: '203.0.113.7' } satisfies AddressPeer,
  privateHost: { kind: 'address', name: 'a private host', ip: '10.1.2.3' } satisfies AddressPeer,
  cloudMetadata: { kind: 'address', name: 'cloud metadata', ip: '169.254.169.254' } satisfies AddressPeer,
};

/** The address PostgreSQL has in this overlay: the first of allow-postgres's block. */
export function postgresPeer(manifests: Manifest[]): AddressPeer {
  const cidr: string = named(manifests, 'NetworkPolicy', 'allow-postgres').spec.egress[0].to[0].ipBlock.cidr;
  return { kind: 'address', name: 'PostgreSQL', ip: cidr.split('/')[0] ?? '' };
}

/** `dns:///user-service:50051`, `user-service.wren.svc:50051` → Service name and port. */
function parseAddress(address: string): { service: string; port: number } {
  const match = /^(?:dns:\/\/\/)?([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)$/.exec(address);
  if (!match?.[1] || !match[2]) throw new Error(`unexpected address ${address}`);
  return { service: match[1], port: Number(match[2]) };
}

/**
 * Every gRPC call the Deployments' configuration makes, resolved as a client does:
 * Service name → the pods it selects → the container port behind the Service port.
 */
export function configuredCalls(manifests: Manifest[], standIns: Record<string, string>): Connection[] {
  const pods = wrenPods(manifests);
  const deployments = ofKind(manifests, 'Deployment');
  return deployments.flatMap((deployment) => {
    const env = containerEnv(onlyContainer(deployment.spec.template), manifests, standIns);
    return calledAddresses(env).map((address) => {
      const { service, port } = parseAddress(address);
      const target = named(manifests, 'Service', service);
      const servicePort = target.spec.ports.find((p: { port: number }) => p.port === port);
      if (!servicePort) throw new Error(`${deployment.metadata.name} calls ${address}: Service has no port ${port}`);
      const backend = deployments.find((d) => matchesLabels(target.spec.selector, d.spec.template.metadata?.labels));
      if (!backend) throw new Error(`${address}: Service ${service} selects no Deployment`);
      const containerPort = containerPortNumber(onlyContainer(backend.spec.template), servicePort.targetPort);
      if (containerPort === undefined) throw new Error(`${address}: no container port ${servicePort.targetPort}`);
      const from = pods.get(deployment.metadata.name);
      const to = pods.get(backend.metadata.name);
      if (!from || !to) throw new Error(`${address}: pods not found`);
      return { from, to, port: containerPort };
    });
  });
}
