// The applier's settings (env and flags): one schema for parsing and the configuration reference.
import { defineSettings, SERVICE_SETTINGS } from "@evtrigger/telemetry";

export const applierSettings = defineSettings({
  ...SERVICE_SETTINGS,
  natsUrl: {
    env: "EVT_NATS_URL",
    flag: "nats-url",
    type: "list",
    default: ["nats://127.0.0.1:4222"],
    description: "Internal NATS (JetStream) URLs, comma-separated.",
  },
  natsUser: { env: "EVT_NATS_USER", type: "string", description: "Internal NATS user." },
  natsPassword: { env: "EVT_NATS_PASSWORD", type: "string", secret: true, description: "Internal NATS password." },
  natsToken: { env: "EVT_NATS_TOKEN", type: "string", secret: true, description: "Internal NATS token." },
  configDir: {
    env: "EVT_CONFIG_DIR",
    flag: "config-dir",
    type: "string",
    description: "Directory of YAML (EventTriggers, SveltosClusters, ConfigMaps, Secrets).",
  },
  managementKubeconfig: {
    env: "EVT_MANAGEMENT_KUBECONFIG",
    flag: "management-kubeconfig",
    type: "string",
    description: "Kubeconfig of the management cluster (EventTriggers, clusters, policyRef ConfigMaps/Secrets).",
  },
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
  kubeTimeoutMs: {
    env: "EVT_APPLIER_KUBE_TIMEOUT_MS",
    type: "int",
    default: 10_000,
    min: 100,
    description: "Timeout of one Kubernetes API request; a timeout is retried like a 5xx.",
  },
});
