/**
 * The environment a rendered container starts with: ConfigMap values (envFrom and
 * configMapKeyRef) and literal values as they are, Secret references replaced by stand-ins.
 */
import type { IContainer } from 'kubernetes-models/v1/Container';
import { type Manifest, named } from './k8s-manifests.js';
import type { Env } from './wren-processes.js';

function configMapData(manifests: Manifest[], name: string | undefined): Record<string, string> {
  if (!name) throw new Error('a ConfigMap reference without a name');
  return named(manifests, 'ConfigMap', name).data ?? {};
}

/**
 * Throws on what cannot be known offline: a Secret-backed variable without a stand-in, a
 * whole Secret as envFrom (its keys are not in the manifests), a missing ConfigMap key.
 * An optional Secret reference stays unset: the process must start without it.
 */
export function containerEnv(container: IContainer, manifests: Manifest[], standIns: Record<string, string>): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) {
      throw new Error(`${container.name}: envFrom other than a ConfigMap; reference each Secret key with secretKeyRef`);
    }
    for (const [key, value] of Object.entries(configMapData(manifests, source.configMapRef.name))) {
      env[`${source.prefix ?? ''}${key}`] = value;
    }
  }
  for (const variable of container.env ?? []) {
    const { name, value, valueFrom } = variable;
    if (value !== undefined) {
      env[name] = value;
    } else if (valueFrom?.configMapKeyRef) {
      const { name: map, key, optional } = valueFrom.configMapKeyRef;
      const data = configMapData(manifests, map);
      if (data[key] === undefined && !optional) throw new Error(`${name}: ConfigMap ${map} has no key ${key}`);
      env[name] = data[key];
    } else if (valueFrom?.secretKeyRef) {
      if (valueFrom.secretKeyRef.optional) continue;
      const standIn = standIns[name];
      if (standIn === undefined) {
        throw new Error(`${name} comes from Secret ${valueFrom.secretKeyRef.name} but has no stand-in value`);
      }
      env[name] = standIn;
    } else {
      throw new Error(`${name}: unsupported env source ${JSON.stringify(valueFrom)}`);
    }
  }
  return env;
}
