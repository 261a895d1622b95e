/** Kustomizations rendered with `kubectl kustomize` (kustomize v5, offline) into plain objects. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repo-root.js';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: each kind has its own shape; tests narrow it.
  spec?: any;
  data?: Record<string, string>;
}

export const kustomizations = ['base', 'overlays/dev', 'overlays/prod'] as const;
export type Kustomization = (typeof kustomizations)[number];

export function render(kustomization: Kustomization): Manifest[] {
  const output = execFileSync('kubectl', ['kustomize', join(repoRoot, 'deploy', 'k8s', kustomization)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(output).map((document) => {
    if (document.errors.length > 0) throw new Error(`kubectl kustomize ${kustomization}: ${document.errors[0]}`);
    return document.toJS() as Manifest;
  });
}

const rendered = new Map<Kustomization, Manifest[]>();

/** Rendered once per test file: several checks read the same output. */
export function renderOnce(kustomization: Kustomization): Manifest[] {
  if (!rendered.has(kustomization)) rendered.set(kustomization, render(kustomization));
  return rendered.get(kustomization) as Manifest[];
}

export const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

export function named(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered manifests`);
  return found;
}

/** The pod templates of Deployments and Jobs, with what owns them. */
export function podTemplates(manifests: Manifest[]): { owner: Manifest; template: IPodTemplateSpec }[] {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((owner) => ({ owner, template: owner.spec.template as IPodTemplateSpec }));
}

export function onlyContainer(template: IPodTemplateSpec): IContainer {
  const containers = template.spec?.containers ?? [];
  if (containers.length !== 1) throw new Error(`expected one container, found ${containers.length}`);
  return containers[0] as IContainer;
}

/** The number a probe's or Service's port means: a port number, or the name of a container port. */
export function containerPortNumber(container: IContainer, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export function matchesLabels(selector: Record<string, string> | undefined, labels: Record<string, string> = {}) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}
