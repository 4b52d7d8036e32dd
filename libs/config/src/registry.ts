// ClusterRegistry: resolves a cluster key ("ns/name") to its labels, a KubeConfig, and the
// managed cluster's sveltos-nats connection config (read once or watched live).
import { createHash } from "node:crypto";
import { ConfigError } from "./errors.js";
import { type KubeClientConfig, KubeConfig } from "./kubeconfig.js";
import { KubeHttp } from "./kubeHttp.js";
import { ListWatch } from "./kubeWatch.js";
import {
  NATS_SECRET_NAME,
  NATS_SECRET_NAMESPACE,
  type NatsConfigResult,
  natsPayloadFromSecret,
  parseNatsConfig,
} from "./natsConfig.js";
import type { ClusterEntry, ConfigStore, KubeObject } from "./types.js";

export interface NatsConfigWatch {
  /** The last result delivered (undefined before the first list completes). */
  readonly current: NatsConfigResult | undefined;
  readonly lastError: Error | undefined;
  close(): Promise<void>;
}

export class ClusterRegistry {
  private readonly kubeConfigs = new Map<string, { print: string; kc: KubeConfig }>();

  constructor(private readonly store: ConfigStore) {}

  clusters(): ClusterEntry[] {
    return [...this.store.snapshot().clusters.values()];
  }

  get(key: string): ClusterEntry | undefined {
    return this.store.snapshot().clusters.get(key);
  }

  /** A KubeConfig for the managed cluster; throws ConfigError EVT_CONFIG_NOT_FOUND / EVT_CONFIG_KUBECONFIG. */
  kubeConfigFor(key: string): KubeClientConfig {
    const c = this.get(key);
    if (!c) throw new ConfigError("EVT_CONFIG_NOT_FOUND", `cluster ${key} is not registered`);
    if (c.kubeconfig === undefined) {
      throw new ConfigError(
        "EVT_CONFIG_KUBECONFIG",
        `cluster ${key} has no kubeconfig: ${c.kubeconfigError ?? "unknown reason"}`,
      );
    }
    const print = createHash("sha256")
      .update(`${c.kubeconfigPath ?? ""}\0${c.kubeconfig}`)
      .digest("hex");
    const cached = this.kubeConfigs.get(key);
    if (cached?.print === print) return cached.kc;
    const kc = new KubeConfig();
    try {
      // From the file when there is one, so relative certificate paths resolve against it.
      if (c.kubeconfigPath) kc.loadFromFile(c.kubeconfigPath);
      else kc.loadFromString(c.kubeconfig);
    } catch (err) {
      throw new ConfigError("EVT_CONFIG_KUBECONFIG", `cluster ${key}: bad kubeconfig: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!kc.getCurrentCluster())
      throw new ConfigError("EVT_CONFIG_KUBECONFIG", `cluster ${key}: kubeconfig has no current cluster`);
    this.kubeConfigs.set(key, { print, kc });
    return kc;
  }

  /** Reads `projectsveltos/sveltos-nats` once. A missing Secret gives no config and no problem (no messaging). */
  async natsConfigFor(key: string): Promise<NatsConfigResult> {
    const http = new KubeHttp(this.kubeConfigFor(key));
    try {
      const secret = await http.request<KubeObject>(
        "GET",
        `/api/v1/namespaces/${NATS_SECRET_NAMESPACE}/secrets/${NATS_SECRET_NAME}`,
      );
      return {
        ...withCluster(parseNatsConfig(natsPayloadFromSecret(secret as SecretLike)), key),
        resourceVersion: secret.metadata?.resourceVersion,
      };
    } catch (err) {
      if ((err as { status?: number }).status === 404) return parseNatsConfig(undefined);
      throw new ConfigError(
        "EVT_CONFIG_NATS_SECRET",
        `cluster ${key}: reading ${NATS_SECRET_NAMESPACE}/${NATS_SECRET_NAME}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  }

  /**
   * Watches the cluster's sveltos-nats Secret. `listener` gets the first state, then every change of the
   * payload's hash (like sveltos-agent, which restarts on a new hash) or of the Secret's resourceVersion (same
   * payload: nothing to restart, but the listener can tell which version it has seen). Follows kubeconfig changes of the
   * cluster; if the cluster disappears the listener gets an empty result with a problem.
   */
  watchNatsConfig(key: string, listener: (result: NatsConfigResult) => void): NatsConfigWatch {
    return new NatsSecretWatch(this, this.store, key, listener);
  }
}

type SecretLike = { data?: Record<string, string>; stringData?: Record<string, string> };

function withCluster(r: NatsConfigResult, key: string): NatsConfigResult {
  return { ...r, problems: r.problems.map((p) => ({ ...p, reason: `cluster ${key}: ${p.reason}` })) };
}

class NatsSecretWatch implements NatsConfigWatch {
  current: NatsConfigResult | undefined;
  lastError: Error | undefined;
  private watch: ListWatch | undefined;
  private kc: KubeClientConfig | undefined;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly registry: ClusterRegistry,
    store: ConfigStore,
    private readonly key: string,
    private readonly listener: (result: NatsConfigResult) => void,
  ) {
    this.unsubscribe = store.onChange((c) => {
      if (c.kind === "SveltosCluster" && c.key === key) this.rebind();
    });
    this.rebind();
  }

  private deliver(r: NatsConfigResult): void {
    const c = this.current;
    if (c && c.hash === r.hash && c.problems.length === r.problems.length && c.resourceVersion === r.resourceVersion) {
      return;
    }
    this.current = r;
    try {
      this.listener(r);
    } catch (err) {
      this.lastError = err as Error;
    }
  }

  private rebind(): void {
    if (this.closed) return;
    let kc: KubeClientConfig | undefined;
    try {
      kc = this.registry.kubeConfigFor(this.key);
    } catch (err) {
      this.lastError = err as Error;
      void this.watch?.close();
      this.watch = undefined;
      this.kc = undefined;
      this.deliver({
        problems: [{ kind: "SveltosCluster", name: this.key, path: "", reason: (err as Error).message }],
        hash: "",
      });
      return;
    }
    if (kc === this.kc) return;
    void this.watch?.close();
    this.kc = kc;
    const pick = (items: KubeObject[]) => items.find((s) => s.metadata.name === NATS_SECRET_NAME);
    const onSecret = (secret: KubeObject | undefined) =>
      this.deliver({
        ...withCluster(parseNatsConfig(secret ? natsPayloadFromSecret(secret as SecretLike) : undefined), this.key),
        resourceVersion: secret?.metadata.resourceVersion,
      });
    this.watch = new ListWatch(
      new KubeHttp(kc),
      { path: `/api/v1/namespaces/${NATS_SECRET_NAMESPACE}/secrets`, apiVersion: "v1", kind: "Secret" },
      {
        sync: (items) => onSecret(pick(items)),
        event: (type, obj) => {
          if (obj.metadata.name !== NATS_SECRET_NAME) return;
          onSecret(type === "DELETED" ? undefined : obj);
        },
        error: (err) => {
          this.lastError = err;
        },
      },
    );
    void this.watch.start();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await this.watch?.close();
  }
}
