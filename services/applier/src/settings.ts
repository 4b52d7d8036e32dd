// The applier's settings (env and flags): one schema for parsing and the configuration reference.
import { commonSettings } from "@evtrigger/runtime";
import { defineSettings } from "@evtrigger/telemetry";

export const applierSettings = defineSettings({
  ...commonSettings({
    dir: "EventTriggers, SveltosClusters, ConfigMaps, Secrets",
    cluster: "EventTriggers, clusters, policyRef ConfigMaps/Secrets",
  }),
  fieldManager: {
    env: "EVT_APPLIER_FIELD_MANAGER",
    type: "string",
    default: "evtrigger",
    description: "Server-side apply field manager for every deployed object.",
  },
  concurrency: {
    env: "EVT_APPLIER_CONCURRENCY",
    type: "int",
    default: 32,
    min: 1,
    description: "Matches handled at once by one applier process (one event identity stays serial).",
  },
  maxAckPending: {
    env: "EVT_APPLIER_MAX_ACK_PENDING",
    type: "int",
    default: 256,
    min: 1,
    description: "Unacked matches the shared durable allows across all applier replicas (backpressure).",
  },
  ackWaitMs: {
    env: "EVT_APPLIER_ACK_WAIT_MS",
    type: "int",
    default: 30_000,
    min: 1000,
    description:
      "AckWait of the shared durable on EVT_MATCHES: how soon a match a crashed applier held is redelivered.",
  },
  kubeTimeoutMs: {
    env: "EVT_APPLIER_KUBE_TIMEOUT_MS",
    type: "int",
    default: 10_000,
    min: 100,
    description: "Timeout of one Kubernetes API request; a timeout is retried like a 5xx.",
  },
});
