// Settings blocks every service spreads into its own schema, so the internal bus and the config source are
// configured (and documented) the same way everywhere.
import { SERVICE_SETTINGS, type SettingsSchema } from "@evtrigger/telemetry";

/** The internal NATS (JetStream) every service connects to. */
export const BUS_SETTINGS = {
  natsUrl: {
    env: "EVT_NATS_URL",
    flag: "nats-url",
    type: "list",
    default: ["nats://127.0.0.1:4222"] as string[],
    description: "Internal NATS (JetStream) URLs, comma-separated.",
  },
  natsUser: { env: "EVT_NATS_USER", type: "string", description: "Internal NATS user." },
  natsPassword: { env: "EVT_NATS_PASSWORD", type: "string", secret: true, description: "Internal NATS password." },
  natsToken: { env: "EVT_NATS_TOKEN", type: "string", secret: true, description: "Internal NATS token." },
} as const satisfies SettingsSchema;

/** Where the configuration comes from; `reads` says what this service reads there, for the reference. */
export function configSourceSettings(reads: { dir: string; cluster: string }) {
  return {
    configDir: {
      env: "EVT_CONFIG_DIR",
      flag: "config-dir",
      type: "string",
      description: `Directory of YAML (${reads.dir}); alternative to a management cluster.`,
    },
    managementKubeconfig: {
      env: "EVT_MANAGEMENT_KUBECONFIG",
      flag: "management-kubeconfig",
      type: "string",
      description: `Kubeconfig of the management cluster (${reads.cluster}).`,
    },
  } as const satisfies SettingsSchema;
}

/** The settings of every service: HTTP surface, logging, shutdown, internal bus, config source. */
export function commonSettings(reads: { dir: string; cluster: string }) {
  return { ...SERVICE_SETTINGS, ...BUS_SETTINGS, ...configSourceSettings(reads) } as const;
}
