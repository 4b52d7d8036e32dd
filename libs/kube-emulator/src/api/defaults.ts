import { establishedStatus } from "./crds.js";
import { isPlainObject, type KubeObject } from "./types.js";

// What the real API server's registry strategies fill in or normalise on write, per built-in kind.

let nextIp = 10;

function defaultService(o: KubeObject): void {
  const spec = (isPlainObject(o.spec) ? o.spec : {}) as Record<string, unknown>;
  spec.type ??= "ClusterIP";
  spec.sessionAffinity ??= "None";
  if (spec.clusterIP === undefined && spec.type !== "ExternalName") {
    const n = nextIp++;
    spec.clusterIP = `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
    spec.clusterIPs = [spec.clusterIP];
  }
  if (Array.isArray(spec.ports))
    for (const p of spec.ports as Record<string, unknown>[]) {
      p.protocol ??= "TCP";
      p.targetPort ??= p.port;
    }
  o.spec = spec;
}

/** Pod template defaults kubectl users see in `-o yaml`: port protocols and pull/termination policies. */
function defaultPodSpec(spec: unknown): void {
  if (!isPlainObject(spec)) return;
  spec.restartPolicy ??= "Always";
  spec.dnsPolicy ??= "ClusterFirst";
  for (const list of [spec.containers, spec.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as Record<string, unknown>[]) {
      c.terminationMessagePath ??= "/dev/termination-log";
      c.terminationMessagePolicy ??= "File";
      const image = String(c.image ?? "");
      c.imagePullPolicy ??= image.endsWith(":latest") || !image.includes(":") ? "Always" : "IfNotPresent";
      if (Array.isArray(c.ports)) for (const p of c.ports as Record<string, unknown>[]) p.protocol ??= "TCP";
    }
  }
}

function defaultDeployment(o: KubeObject): void {
  const spec = (isPlainObject(o.spec) ? o.spec : {}) as Record<string, unknown>;
  if (isPlainObject(spec.template)) defaultPodSpec(spec.template.spec);
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
  o.spec = spec;
}

/** Fills defaults and normalises; `old` is the stored object on update. */
export function applyDefaults(kind: string, o: KubeObject, old: KubeObject | undefined): void {
  switch (kind) {
    case "Namespace": {
      o.metadata.labels = { ...(o.metadata.labels ?? {}), "kubernetes.io/metadata.name": o.metadata.name! };
      const spec = (isPlainObject(o.spec) ? o.spec : {}) as Record<string, unknown>;
      spec.finalizers ??= ["kubernetes"];
      o.spec = spec;
      o.status = old?.status ?? { phase: "Active" };
      break;
    }
    case "Secret": {
      if (!o.type) o.type = "Opaque";
      if (isPlainObject(o.stringData)) {
        const data = (isPlainObject(o.data) ? o.data : {}) as Record<string, unknown>;
        for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v)).toString("base64");
        o.data = data;
      }
      delete o.stringData;
      break;
    }
    case "Service":
      defaultService(o);
      break;
    case "Deployment":
      defaultDeployment(o);
      break;
    case "Pod":
      defaultPodSpec(o.spec);
      // Nothing schedules pods here: they stay Pending.
      o.status = old?.status ?? { phase: "Pending", qosClass: "BestEffort" };
      break;
    case "CustomResourceDefinition":
      o.status = establishedStatus(o);
      break;
  }
}

/** Kinds whose objects carry metadata.generation (those with a spec the controllers reconcile). */
export function hasGeneration(kind: string, builtin: boolean): boolean {
  return !builtin || kind === "Deployment" || kind === "CustomResourceDefinition";
}
