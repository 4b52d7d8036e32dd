// Synthetic configuration and traffic for the matcher benchmarks: n EventSources, half literal patterns and
// half regexes (with the literal parts real users write), one EventTrigger per source, events that hit them.
import type {
  ClusterEntry,
  ConfigChange,
  ConfigSnapshot,
  ConfigStore,
  EventSource,
  EventTrigger,
} from "@evtrigger/config";
import type { EventFields } from "../src/criteria/evaluate.js";

export const BENCH_CLUSTER = { namespace: "default", name: "workload", kind: "SveltosCluster" as const };

/** Criteria of source i: even i literal (exact, prefix, substring), odd i regex. A few catch-alls have no literal. */
export function criteriaFor(i: number): Record<string, string>[] {
  switch (i % 8) {
    case 0:
      return [{ subject: "user-operation", cloudEventType: `^app${i}\\.created$` }];
    case 2:
      return [{ cloudEventSource: `^svc${i}/`, cloudEventType: "created" }];
    case 4:
      return [{ cloudEventSubject: `tenant-${i}.` }];
    case 6:
      return [{ cloudEventType: `^app${i}\\.deleted$` }, { cloudEventSubject: `^user-${i}$` }];
    case 1:
      return [{ cloudEventType: `(?i)^app${i}\\.(created|deleted)$` }];
    case 3:
      return [{ cloudEventSource: `^svc${i}/v[0-9]+/`, cloudEventType: "\\.created$" }];
    case 5:
      return [{ cloudEventSubject: `tenant-${i}-[a-z]+`, cloudEventType: "^app[0-9]+\\." }];
    default:
      // One in a thousand sources is a catch-all without any literal (tried for every event).
      if (i % 1000 === 7) return [{ cloudEventType: "^[a-z]+[0-9]{7,}\\.[a-z]+$" }];
      return [{ cloudEventType: `^app${i}\\..*\\.done$` }];
  }
}

/** An event aimed at source i (it matches it), or at nothing when i < 0. */
export function eventFor(i: number): EventFields {
  const base = { subscription: "user-operation", natsSubject: "user-operation" };
  if (i < 0) return { ...base, source: "billing/v1", type: "invoice.paid", subject: "acct-42" };
  switch (i % 8) {
    case 0:
      return { ...base, source: "auth", type: `app${i}.created`, subject: "u" };
    case 2:
      return { ...base, source: `svc${i}/orders`, type: "order.created", subject: "o-1" };
    case 4:
      return { ...base, source: "auth", type: "login", subject: `tenant-${i}.eu` };
    case 6:
      return { ...base, source: "auth", type: `app${i}.deleted`, subject: `user-${i}` };
    case 1:
      return { ...base, source: "auth", type: `APP${i}.Deleted`, subject: "u" };
    case 3:
      return { ...base, source: `svc${i}/v2/x`, type: "thing.created", subject: "t" };
    case 5:
      return { ...base, source: "auth", type: `app${i}.x`, subject: `tenant-${i}-eu` };
    default:
      return { ...base, source: "auth", type: `app${i}.job.done`, subject: "j" };
  }
}

export function sources(n: number): { name: string; criteria: Record<string, string>[] }[] {
  return Array.from({ length: n }, (_, i) => ({ name: `es-${i}`, criteria: criteriaFor(i) }));
}

/** A fixed ConfigSnapshot (no validation cost in the measurement) behind the ConfigStore interface. */
export function staticStore(n: number): ConfigStore {
  const eventSources = new Map<string, EventSource>();
  const eventTriggers = new Map<string, EventTrigger>();
  for (const s of sources(n)) {
    eventSources.set(s.name, {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "EventSource",
      metadata: { name: s.name },
      spec: { messagingMatchCriteria: s.criteria, collectResources: false },
    });
    eventTriggers.set(`et-${s.name}`, {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "EventTrigger",
      metadata: { name: `et-${s.name}`, generation: 1 },
      spec: {
        sourceClusterSelector: { matchLabels: { env: "production" } },
        eventSourceName: s.name,
        oneForEvent: true,
        syncMode: "Continuous",
        tier: 100,
        continueOnConflict: false,
        stopMatchingBehavior: "WithdrawPolicies",
        reloader: false,
        cloudEventAction: "Create",
      },
    });
  }
  const cluster: ClusterEntry = {
    key: "default/workload",
    namespace: "default",
    name: "workload",
    kind: "SveltosCluster",
    labels: { env: "production" },
    object: {
      apiVersion: "lib.projectsveltos.io/v1beta1",
      kind: "SveltosCluster",
      metadata: { name: "workload", namespace: "default", labels: { env: "production" } },
      spec: {},
    },
  };
  const snap: ConfigSnapshot = {
    eventSources,
    eventTriggers,
    clusters: new Map([[cluster.key, cluster]]),
    clusterSets: new Map(),
    configMaps: new Map(),
    secrets: new Map(),
    invalid: new Map(),
    version: 1,
  };
  return {
    start: async () => {},
    close: async () => {},
    snapshot: () => snap,
    onChange: (_l: (c: ConfigChange) => void) => () => {},
    ready: true,
    lastError: undefined,
  };
}
