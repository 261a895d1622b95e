/**
 * deploy/k8s checked offline: the base and each overlay render with `kubectl kustomize`;
 * every object validates against its schema; every process gets the environment its own
 * config reader demands and is probed on the ports it then listens on; pods are locked
 * down; drains fit the grace period; and the network policies allow exactly the calls the
 * configuration makes. The last block shows each check failing on broken input.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { beforeAll, describe, expect, test } from 'vitest';
import { containerEnv } from './support/k8s-container-env.js';
import {
  containerPortNumber,
  kustomizations,
  type Manifest,
  matchesLabels,
  named,
  ofKind,
  onlyContainer,
  podTemplates,
  renderOnce,
} from './support/k8s-manifests.js';
import { allows, type Connection, describeConnection } from './support/k8s-network-policy.js';
import { validateManifest } from './support/k8s-schemas.js';
import { configuredCalls, networkPolicies, postgresPeer, surroundings, wrenPods } from './support/k8s-wren-network.js';
import { repoRoot } from './support/repo-root.js';
import {
  calledAddresses,
  databaseProcesses,
  readProcessConfig,
  secretStandIns,
  stopBoundSeconds,
  type WrenProcess,
  wrenProcesses,
} from './support/wren-processes.js';

let standIns: Record<string, string>;
beforeAll(async () => {
  standIns = await secretStandIns();
});

/** The shared-rate-limits component's Redis: one pod, reached by the gateways only. */
const RATE_LIMIT_REDIS = 'rate-limit-redis';
const wrenPodTemplates = (manifests: Manifest[]) =>
  podTemplates(manifests).filter(({ owner }) => owner.metadata.name !== RATE_LIMIT_REDIS);

const deploymentOf = (manifests: Manifest[], process: WrenProcess) => named(manifests, 'Deployment', process);
const containerOf = (manifests: Manifest[], process: WrenProcess) =>
  onlyContainer(deploymentOf(manifests, process).spec.template);
const envOf = (manifests: Manifest[], process: WrenProcess) =>
  containerEnv(containerOf(manifests, process), manifests, standIns);

describe.each(kustomizations)('%s', (kustomization) => {
  const manifests = () => renderOnce(kustomization);

  test('renders, and every object validates against its Kubernetes schema', () => {
    expect(manifests().length).toBeGreaterThan(0);
    for (const manifest of manifests()) validateManifest(manifest);
  });

  test('has a Deployment per process and no other (the overlays add the rate-limit Redis)', () => {
    const names = ofKind(manifests(), 'Deployment').map((d) => d.metadata.name);
    const expected = kustomization === 'base' ? [...wrenProcesses] : [...wrenProcesses, RATE_LIMIT_REDIS];
    expect(names.sort()).toEqual(expected.sort());
  });

  test('references Secrets but contains none', () => {
    expect(ofKind(manifests(), 'Secret')).toEqual([]);
  });

  test.each(wrenProcesses)('%s gets every variable its config reader demands', (process) => {
    // A ConfigError names every missing or malformed variable.
    expect(readProcessConfig(process, envOf(manifests(), process)).servingPort).toBeGreaterThan(0);
  });

  test.each(wrenProcesses)('%s is probed on the ports it listens on', (process) => {
    const listening = readProcessConfig(process, envOf(manifests(), process));
    const container = containerOf(manifests(), process);
    const portNamed = (name: string) => containerPortNumber(container, name);
    expect(portNamed('admin')).toBe(listening.adminPort);
    if (process === 'api-gateway') {
      expect(portNamed('http')).toBe(listening.servingPort);
      const httpProbe = (probe: IContainer['livenessProbe']) => ({
        path: probe?.httpGet?.path,
        port: containerPortNumber(container, probe?.httpGet?.port),
      });
      expect(httpProbe(container.startupProbe)).toEqual({ path: '/healthz', port: listening.servingPort });
      expect(httpProbe(container.livenessProbe)).toEqual({ path: '/healthz', port: listening.servingPort });
      expect(httpProbe(container.readinessProbe)).toEqual({ path: '/readyz', port: listening.servingPort });
    } else {
      expect(portNamed('grpc')).toBe(listening.servingPort);
      for (const probe of [container.startupProbe, container.readinessProbe]) {
        expect(probe?.grpc?.port).toBe(listening.servingPort);
      }
      // Not the gRPC health, which reports NOT_SERVING while the database is away: an
      // outage must take pods out of traffic, not get them restarted.
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(containerPortNumber(container, container.livenessProbe?.httpGet?.port)).toBe(listening.adminPort);
    }
  });

  test.each(wrenProcesses)('%s: termination grace covers the preStop sleep and the bounded stop', (process) => {
    const listening = readProcessConfig(process, envOf(manifests(), process));
    const spec = deploymentOf(manifests(), process).spec.template.spec;
    const preStop =
      onlyContainer(deploymentOf(manifests(), process).spec.template).lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(preStop).toBeGreaterThanOrEqual(3);
    // The drain happens within the stop, and the kubelet waits for all of it.
    expect(listening.shutdownGraceMs / 1000).toBeLessThan(stopBoundSeconds());
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + stopBoundSeconds());
  });

  test('each Service reaches a container port of one Deployment; gRPC Services are headless', () => {
    const deployments = ofKind(manifests(), 'Deployment');
    for (const service of ofKind(manifests(), 'Service')) {
      const backends = deployments.filter((d) => matchesLabels(service.spec.selector, d.spec.template.metadata.labels));
      expect(backends.map((d) => d.metadata.name)).toEqual([service.metadata.name]);
      const container = onlyContainer((backends[0] as Manifest).spec.template);
      const headless = service.spec.clusterIP === 'None';
      // The gateway and the rate-limit Redis are reached through one virtual IP.
      expect(headless).toBe(!['api-gateway', RATE_LIMIT_REDIS].includes(service.metadata.name));
      for (const port of service.spec.ports) {
        const target = containerPortNumber(container, port.targetPort);
        expect(target, `${service.metadata.name} ${port.name}`).toBeDefined();
        // A headless Service has no port translation: clients dial the pod on the Service port.
        if (headless) expect(target).toBe(port.port);
      }
    }
  });

  test('processes call each other by dns:/// names of headless Services (client-side round-robin)', () => {
    for (const process of wrenProcesses) {
      for (const address of calledAddresses(envOf(manifests(), process))) {
        expect(address, process).toMatch(/^dns:\/\/\/[a-z-]+:\d+$/);
      }
    }
    expect(configuredCalls(manifests(), standIns).length).toBeGreaterThan(0);
  });

  test('pods run as non-root on a read-only filesystem, without capabilities or API tokens, within limits', () => {
    const accounts = ofKind(manifests(), 'ServiceAccount').map((a) => a.metadata.name);
    for (const { owner, template } of podTemplates(manifests())) {
      const where = `${owner.kind} ${owner.metadata.name}`;
      const pod = template.spec as NonNullable<IPodTemplateSpec['spec']>;
      const container = onlyContainer(template);
      expect(pod.securityContext?.runAsNonRoot, where).toBe(true);
      expect(pod.securityContext?.runAsUser, where).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken, where).toBe(false);
      if (pod.serviceAccountName) expect(accounts, where).toContain(pod.serviceAccountName);
      expect(container.securityContext, where).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      for (const kind of ['requests', 'limits'] as const) {
        expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${where} ${kind}`).toEqual(['cpu', 'memory']);
      }
      // tsx writes its compile cache to /tmp.
      const tmp = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
      expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, where).toBeDefined();
    }
  });

  test('a migration Job per database runs migrate.ts with the service image and its database', () => {
    expect(
      ofKind(manifests(), 'Job')
        .map((j) => j.metadata.name)
        .sort(),
    ).toEqual(databaseProcesses.map((p) => `${p}-migrate`).sort());
    for (const process of databaseProcesses) {
      const job = onlyContainer(named(manifests(), 'Job', `${process}-migrate`).spec.template);
      const service = containerOf(manifests(), process);
      const script = job.args?.at(-1) ?? '';
      expect(script).toBe(`services/${process}/src/migrate.ts`);
      expect(existsSync(join(repoRoot, script))).toBe(true);
      expect(job.image).toBe(service.image);
      const database = (c: IContainer) => c.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
      expect(database(job)).toBeDefined();
      expect(database(job)).toEqual(database(service));
      expect(envOf(manifests(), process).MIGRATE_ON_START).toBe('false');
    }
  });
});

describe('overlays', () => {
  const images = (manifests: Manifest[]) =>
    wrenPodTemplates(manifests).map(({ template }) => onlyContainer(template).image ?? '');
  const wrenDeployments = (manifests: Manifest[]) =>
    ofKind(manifests, 'Deployment').filter((d) => d.metadata.name !== RATE_LIMIT_REDIS);

  test('dev: one replica each, debug logs, network policies, no autoscaling', () => {
    const dev = renderOnce('overlays/dev');
    for (const deployment of wrenDeployments(dev)) expect(deployment.spec.replicas).toBe(1);
    expect(envOf(dev, 'user-service').LOG_LEVEL).toBe('debug');
    expect(ofKind(dev, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(named(dev, 'NetworkPolicy', 'default-deny')).toBeDefined();
    for (const image of images(dev)) expect(image).toMatch(/:dev$/);
  });

  test('prod: every Deployment autoscaled (no replicas of its own), pinned images, sampled traces', () => {
    const prod = renderOnce('overlays/prod');
    const targets = ofKind(prod, 'HorizontalPodAutoscaler').map((h) => h.spec.scaleTargetRef.name);
    expect(targets.sort()).toEqual([...wrenProcesses].sort());
    for (const deployment of wrenDeployments(prod)) expect(deployment.spec.replicas).toBeUndefined();
    for (const image of images(prod)) expect(image).toMatch(/^[\w.-]+\/[\w/-]+:\d+\.\d+\.\d+$/);
    const env = envOf(prod, 'post-service');
    expect(env.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio');
    expect(Number(env.OTEL_TRACES_SAMPLER_ARG)).toBeGreaterThan(0);
  });

  test('prod: a ServiceMonitor per process scrapes /metrics on its Service’s admin port', () => {
    const prod = renderOnce('overlays/prod');
    for (const process of wrenProcesses) {
      const monitor = named(prod, 'ServiceMonitor', process);
      const service = named(prod, 'Service', process);
      expect(matchesLabels(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'admin', path: '/metrics' })]);
      expect(service.spec.ports.map((p: { name: string }) => p.name)).toContain('admin');
    }
  });
});

describe.each(['overlays/dev', 'overlays/prod'] as const)('%s shared rate limits', (kustomization) => {
  const manifests = () => renderOnce(kustomization);

  test('the gateways count in one Redis: one pod, pinned, never overlapping another', () => {
    const redis = named(manifests(), 'Deployment', RATE_LIMIT_REDIS);
    expect(redis.spec.replicas).toBe(1);
    expect(redis.spec.strategy.type).toBe('Recreate');
    expect(onlyContainer(redis.spec.template).image).toMatch(/^[\w.-]+\/[\w/-]+:\d+\.\d+\.\d+$/);
    const url = new URL(envOf(manifests(), 'api-gateway').RATE_LIMIT_REDIS_URL ?? '');
    const service = named(manifests(), 'Service', url.hostname);
    const port = service.spec.ports.find((p: { port: number }) => p.port === Number(url.port));
    expect(port, 'the Service has the port of RATE_LIMIT_REDIS_URL').toBeDefined();
    expect(matchesLabels(service.spec.selector, redis.spec.template.metadata?.labels)).toBe(true);
    expect(containerPortNumber(onlyContainer(redis.spec.template), port.targetPort)).toBe(6379);
  });

  test('only the gateways reach it', () => {
    const pods = wrenPods(manifests());
    const redis = pods.get(RATE_LIMIT_REDIS);
    if (!redis) throw new Error('no Redis pod');
    const policies = networkPolicies(manifests());
    const to = (from: string) => ({ from: pods.get(from) ?? surroundings.podInOtherNamespace, to: redis, port: 6379 });
    expect(allows(policies, to('api-gateway'))).toBe(true);
    for (const other of ['user-service', 'post-service', 'notification-service', 'other-app']) {
      expect(allows(policies, to(other)), other).toBe(false);
    }
  });
});

describe.each(['overlays/dev', 'overlays/prod'] as const)('%s network policies', (kustomization) => {
  const manifests = () => renderOnce(kustomization);
  const policies = () => networkPolicies(manifests());
  const pod = (name: string) => {
    const found = wrenPods(manifests()).get(name);
    if (!found) throw new Error(`no pod ${name}`);
    return found;
  };
  const expectAllowed = (connections: Connection[], allowed: boolean) => {
    for (const connection of connections) {
      expect(allows(policies(), connection), describeConnection(connection)).toBe(allowed);
    }
  };

  test('allow every gRPC call the configuration makes (gateway → services, JWKS, relays)', () => {
    const calls = configuredCalls(manifests(), standIns);
    // gateway → 3, post → user, notification → user, user relay → 2, post relay → 1
    expect(calls).toHaveLength(8);
    expectAllowed(calls, true);
  });

  test('allow DNS, traces, scraping, PostgreSQL for the services and Jobs, HTTPS out for push', () => {
    const { kubeDns, collector, prometheus, internetHost } = surroundings;
    const everyPod = [...wrenPods(manifests()).values()];
    expectAllowed(
      everyPod.flatMap((from) => [
        { from, to: kubeDns, port: 53, protocol: 'UDP' as const },
        { from, to: kubeDns, port: 53 },
        { from, to: collector, port: 4318 },
      ]),
      true,
    );
    const servers = wrenProcesses.map(pod);
    expectAllowed(
      servers.map((to) => ({
        from: prometheus,
        to,
        port: to.ports.find((p) => p.name === 'admin')?.containerPort ?? 0,
      })),
      true,
    );
    const postgres = postgresPeer(manifests());
    const databaseUsers = databaseProcesses.flatMap((p) => [pod(p), pod(`${p}-migrate`)]);
    expectAllowed(
      databaseUsers.map((from) => ({ from, to: postgres, port: 5432 })),
      true,
    );
    expectAllowed([{ from: pod('api-gateway'), to: surroundings.podInOtherNamespace, port: 8080 }], false);
    expectAllowed([{ from: internetHost, to: pod('api-gateway'), port: 8080 }], true);
    expectAllowed([{ from: pod('notification-service'), to: internetHost, port: 443 }], true);
  });

  test('refuse what Wren does not do', () => {
    const { internetHost, privateHost, cloudMetadata, otherMonitoringPod, podInOtherNamespace } = surroundings;
    const postgres = postgresPeer(manifests());
    const grpc = (name: WrenProcess) => pod(name).ports.find((p) => p.name === 'grpc')?.containerPort ?? 0;
    expectAllowed(
      [
        { from: pod('api-gateway'), to: postgres, port: 5432 },
        { from: pod('notification-service'), to: pod('post-service'), port: grpc('post-service') },
        { from: pod('user-service-migrate'), to: pod('user-service'), port: grpc('user-service') },
        { from: podInOtherNamespace, to: pod('user-service'), port: grpc('user-service') },
        { from: internetHost, to: pod('user-service'), port: grpc('user-service') },
        { from: otherMonitoringPod, to: pod('user-service'), port: 9461 },
        { from: pod('api-gateway'), to: pod('user-service'), port: 9461 },
        { from: pod('user-service'), to: internetHost, port: 443 },
        { from: pod('notification-service'), to: privateHost, port: 443 },
        { from: pod('notification-service'), to: cloudMetadata, port: 80 },
        { from: pod('notification-service'), to: internetHost, port: 80 },
      ],
      false,
    );
  });
});

describe('the checks fail on broken input', () => {
  const base = () => renderOnce('base');
  const clone = <T>(value: T): T => structuredClone(value);

  test('schema validation rejects a malformed object and a kind it has no schema for', () => {
    const deployment = clone(deploymentOf(base(), 'user-service'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'fifty-thousand';
    expect(() => validateManifest(deployment)).toThrow(/containerPort must be integer/);
    const ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'x' } };
    expect(() => validateManifest(ingress)).toThrow(/no schema/);
  });

  test('the env check names the variables a manifest leaves out', () => {
    const container = clone(containerOf(base(), 'user-service'));
    container.env = container.env?.filter((e) => e.name !== 'JWT_PRIVATE_KEYS' && e.name !== 'DATABASE_URL');
    const env = containerEnv(container, base(), standIns);
    expect(() => readProcessConfig('user-service', env)).toThrow(/JWT_PRIVATE_KEYS is required[\s\S]*DATABASE_URL/);
  });

  test('a Secret-backed variable without a stand-in value is refused, not guessed', () => {
    const container = clone(containerOf(base(), 'post-service'));
    container.env?.push({ name: 'NEW_SECRET', valueFrom: { secretKeyRef: { name: 'x', key: 'NEW_SECRET' } } });
    expect(() => containerEnv(container, base(), standIns)).toThrow(/NEW_SECRET comes from Secret x/);
  });

  test('a call is refused once the policy that allows it is gone', () => {
    const prod = renderOnce('overlays/prod');
    const call = configuredCalls(prod, standIns).find(
      (c) => c.from.name === 'api-gateway' && c.to.name === 'user-service',
    ) as Connection;
    expect(allows(networkPolicies(prod), call)).toBe(true);
    const withoutGatewayPolicy = networkPolicies(prod).filter((p) => p.metadata?.name !== 'api-gateway');
    expect(allows(withoutGatewayPolicy, call)).toBe(false);
  });
});
