// Renders every Kustomize entry point in deploy/k8s (the base and each overlay) with `kubectl kustomize`
// and validates every resource against the Kubernetes API schemas (kubernetes-models, Kubernetes 1.27)
// and KEDA's CRD schemas (@kubernetes-models/keda, KEDA 2.10): schemas shipped in npm packages, nothing
// fetched at test time. Then checks what the schemas cannot: the ScaledObjects read the consumer
// groups the services really commit under, the probes point at the right endpoints, every workload has
// a PodDisruptionBudget and exactly one autoscaler, and every Secret/ConfigMap key referenced exists.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { ServerKafka } from '@nestjs/microservices';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import * as YAML from 'yaml';
import { CONSUMER_GROUPS, TOPICS } from '@vrs/contracts';
import { kafkaConnectionFromEnv } from '@vrs/messaging';
import { kafkaTransportOptions } from '@vrs/service-kit';

const run = promisify(execFile);
const K8S = resolve(__dirname, '../../deploy/k8s');
const ENTRY_POINTS = ['base', ...readdirSync(join(K8S, 'overlays')).map((name) => `overlays/${name}`)];

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [field: string]: any;
}

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

/** The worker Deployments, the consumer group each commits under, and the topics its lag is read on. */
const WORKERS: Record<string, { group: string; topics: Array<string | undefined> }> = {
  'job-orchestrator': { group: CONSUMER_GROUPS.orchestrator, topics: [undefined] },
  'render-adapter': { group: CONSUMER_GROUPS.renderAdapter, topics: [TOPICS.renderRequested] },
  stitcher: { group: CONSUMER_GROUPS.stitcher, topics: [TOPICS.stitchRequested] },
  notifier: { group: CONSUMER_GROUPS.notifier, topics: [undefined] },
};

async function render(entryPoint: string): Promise<Resource[]> {
  const { stdout } = await run('kubectl', ['kustomize', join(K8S, entryPoint)], { maxBuffer: 16 * 1024 * 1024 }).catch((error) => {
    throw new Error(`kubectl kustomize ${entryPoint} failed (kubectl comes from scripts/infra/system-deps.sh): ${error.stderr || error.message}`);
  });
  return YAML.parseAllDocuments(stdout)
    .map((doc) => doc.toJSON())
    .filter(Boolean);
}

const rendered = new Map<string, Resource[]>();
beforeAll(async () => {
  for (const entryPoint of ENTRY_POINTS) rendered.set(entryPoint, await render(entryPoint));
}, 120_000);

const all = (entryPoint: string) => rendered.get(entryPoint)!;
const ofKind = (entryPoint: string, kind: string) => all(entryPoint).filter((r) => r.kind === kind);
const named = (entryPoint: string, kind: string, name: string) => ofKind(entryPoint, kind).find((r) => r.metadata.name === name);
const podSpec = (workload: Resource) => workload.spec.template.spec;

/** The group Nest's Kafka transport really joins (and commits offsets under) with the services' options. */
function committedGroup(groupId: string): string {
  const options = kafkaTransportOptions({ connection: kafkaConnectionFromEnv({}), clientId: 'manifest-check', groupId });
  return (new ServerKafka(options) as unknown as { groupId: string }).groupId;
}

describe.each(ENTRY_POINTS)('deploy/k8s/%s', (entryPoint) => {
  it('renders resources that all match the Kubernetes and KEDA schemas', () => {
    const problems: string[] = [];
    for (const resource of all(entryPoint)) {
      const Model = MODELS[`${resource.apiVersion}/${resource.kind}`];
      if (!Model) {
        problems.push(`${resource.kind} ${resource.metadata.name}: no schema for ${resource.apiVersion}`);
        continue;
      }
      try {
        new Model(resource).validate();
      } catch (error) {
        problems.push(`${resource.kind} ${resource.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
    expect(
      ofKind(entryPoint, 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['gateway', 'job-orchestrator', 'notifier', 'render-adapter', 'stitcher']);
  });

  it('probes readiness on /health/ready and liveness on /health/live, on a declared port', () => {
    for (const deployment of ofKind(entryPoint, 'Deployment')) {
      const [container] = podSpec(deployment).containers;
      const paths = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((probe) => container[probe]?.httpGet?.path);
      expect({ name: deployment.metadata.name, paths }).toEqual({ name: deployment.metadata.name, paths: ['/health/ready', '/health/ready', '/health/live'] });
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(container.ports.map((p: { name: string }) => p.name)).toContain(container[probe].httpGet.port);
      }
    }
  });

  it('gives every Deployment a PodDisruptionBudget and exactly one autoscaler (an HPA, or a KEDA ScaledObject)', () => {
    for (const deployment of ofKind(entryPoint, 'Deployment')) {
      const name = deployment.metadata.name;
      const labels = deployment.spec.template.metadata.labels;
      const budgets = ofKind(entryPoint, 'PodDisruptionBudget').filter((pdb) =>
        Object.entries(pdb.spec.selector.matchLabels).every(([key, value]) => labels[key] === value),
      );
      expect({ name, budgets: budgets.length }).toEqual({ name, budgets: 1 });
      const hpas = ofKind(entryPoint, 'HorizontalPodAutoscaler').filter((hpa) => hpa.spec.scaleTargetRef.name === name);
      const scaled = ofKind(entryPoint, 'ScaledObject').filter((so) => so.spec.scaleTargetRef.name === name);
      expect({ name, autoscalers: hpas.length + scaled.length }).toEqual({ name, autoscalers: 1 });
      expect(deployment.spec.replicas).toBeUndefined(); // the autoscaler owns it
    }
    const gatewayHpa = named(entryPoint, 'HorizontalPodAutoscaler', 'gateway')!;
    expect(gatewayHpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  it('refers only to ConfigMap and Secret keys that exist (optional ones aside)', () => {
    const keys = (kind: string, name: string) => {
      const resource = named(entryPoint, kind, name);
      return resource ? new Set(Object.keys({ ...resource.data, ...resource.stringData })) : new Set<string>();
    };
    const missing: string[] = [];
    for (const workload of [...ofKind(entryPoint, 'Deployment'), ...ofKind(entryPoint, 'Job')]) {
      for (const container of podSpec(workload).containers) {
        for (const { valueFrom } of container.env ?? []) {
          const ref = valueFrom?.secretKeyRef ?? valueFrom?.configMapKeyRef;
          if (!ref || ref.optional) continue;
          if (!keys(valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name).has(ref.key)) missing.push(`${workload.metadata.name}: ${ref.name}/${ref.key}`);
        }
        for (const { configMapRef } of container.envFrom ?? [])
          if (configMapRef && !named(entryPoint, 'ConfigMap', configMapRef.name)) missing.push(`${workload.metadata.name}: ${configMapRef.name}`);
      }
    }
    for (const auth of ofKind(entryPoint, 'TriggerAuthentication')) {
      for (const ref of auth.spec.secretTargetRef)
        if (!keys('Secret', ref.name).has(ref.key)) missing.push(`TriggerAuthentication ${auth.metadata.name}: ${ref.name}/${ref.key}`);
    }
    expect(missing).toEqual([]);
  });

  it('stops within the grace period: drain delay < shutdown timeout < terminationGracePeriodSeconds', () => {
    const config = named(entryPoint, 'ConfigMap', 'vrs-config')!.data;
    const drain = Number(config.SHUTDOWN_DRAIN_DELAY_MS);
    const timeout = Number(config.SHUTDOWN_TIMEOUT_MS);
    expect(drain).toBeGreaterThan(0);
    expect(drain).toBeLessThan(timeout);
    for (const deployment of ofKind(entryPoint, 'Deployment')) expect(podSpec(deployment).terminationGracePeriodSeconds * 1000).toBeGreaterThan(timeout);
  });
});

/** Whether an entry point's kustomization.yaml lists the component `deploy/k8s/components/<name>`. */
function usesComponent(entryPoint: string, name: string): boolean {
  const kustomization = YAML.parse(readFileSync(join(K8S, entryPoint, 'kustomization.yaml'), 'utf8'));
  return (kustomization.components ?? []).some((path: string) => resolve(K8S, entryPoint, path) === join(K8S, 'components', name));
}
const kedaEntryPoints = ENTRY_POINTS.filter((entryPoint) => usesComponent(entryPoint, 'keda'));
const saslEntryPoints = ENTRY_POINTS.filter((entryPoint) => usesComponent(entryPoint, 'kafka-sasl-ssl'));

describe('KEDA autoscaling', () => {
  it('is used by at least one overlay, and SASL_SSL by another', () => {
    expect(kedaEntryPoints.length).toBeGreaterThan(0);
    expect(saslEntryPoints.length).toBeGreaterThan(0);
  });

  it.each(Object.entries(WORKERS))('the group of %s in the code is the one Nest commits offsets under', (_, { group }) => {
    expect(committedGroup(group)).toBe(group);
  });

  it.each(kedaEntryPoints)('%s: every worker scales on the lag of its real consumer group', (entryPoint) => {
    expect(
      ofKind(entryPoint, 'ScaledObject')
        .map((so) => so.spec.scaleTargetRef.name)
        .sort(),
    ).toEqual(Object.keys(WORKERS).sort());
    for (const [name, { group, topics }] of Object.entries(WORKERS)) {
      const kafka = named(entryPoint, 'ScaledObject', name)!.spec.triggers.filter((t: { type: string }) => t.type === 'kafka');
      expect(kafka.map((t: any) => [t.metadata.consumerGroup, t.metadata.topic])).toEqual(topics.map((topic) => [committedGroup(group), topic]));
      for (const trigger of kafka) {
        expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
        expect(trigger.metadata.bootstrapServersFromEnv).toBe('KAFKA_BROKERS');
        expect(trigger.metadata.allowIdleConsumers).toBe('false');
      }
      const scaled = named(entryPoint, 'ScaledObject', name)!.spec;
      expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(2); // the PDB lets one of them go
    }
  });

  it.each(saslEntryPoints)('%s: every service, the init Job and the KEDA scaler use TLS and SASL', (entryPoint) => {
    for (const workload of [...ofKind(entryPoint, 'Deployment'), ...ofKind(entryPoint, 'Job')]) {
      const env = Object.fromEntries(podSpec(workload).containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom?.secretKeyRef?.key]));
      expect({
        name: workload.metadata.name,
        ssl: env.KAFKA_SSL,
        mechanism: env.KAFKA_SASL_MECHANISM,
        user: env.KAFKA_SASL_USERNAME,
        password: env.KAFKA_SASL_PASSWORD,
      }).toEqual({
        name: workload.metadata.name,
        ssl: 'true',
        mechanism: 'KAFKA_SASL_MECHANISM',
        user: 'KAFKA_SASL_USERNAME',
        password: 'KAFKA_SASL_PASSWORD',
      });
    }
    // The Secret's values are valid settings for the services' parser (the CA file is read in the pod).
    const secret = named(entryPoint, 'Secret', 'vrs-kafka')!.stringData;
    expect(() =>
      kafkaConnectionFromEnv({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: secret.KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }),
    ).not.toThrow();
    for (const scaled of ofKind(entryPoint, 'ScaledObject')) {
      const [kafka] = scaled.spec.triggers;
      expect(kafka.type).toBe('kafka');
      const auth = named(entryPoint, 'TriggerAuthentication', kafka.authenticationRef?.name);
      expect(auth?.spec.secretTargetRef.map((ref: { parameter: string }) => ref.parameter).sort()).toEqual(['ca', 'password', 'sasl', 'tls', 'username']);
    }
  });
});
