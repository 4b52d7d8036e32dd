// A lean kubeconfig: parses clusters/users/contexts and applies CA, client certs, bearer tokens, token files and
// basic auth to node:https options, like client-node's KubeConfig. Why not client-node's: importing it loads its
// whole generated API model (~60 MB RSS, ~25 MB heap in every service). Users with an `exec` plugin or an
// `auth-provider`, and clusters behind a `proxy-url`, are delegated to client-node, imported on first use only.
import { readFileSync, statSync } from "node:fs";
import type https from "node:https";
import { isIPv6 } from "node:net";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";

/** The part of a kubeconfig (ours or client-node's KubeConfig) that our HTTP clients use. */
export interface KubeClientConfig {
  getCurrentCluster(): KubeCluster | null;
  applyToHTTPSOptions(opts: https.RequestOptions): Promise<void>;
}

export interface KubeCluster {
  readonly name: string;
  readonly server: string;
  readonly caData?: string;
  readonly caFile?: string;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string;
  readonly proxyUrl?: string;
}

export interface KubeUser {
  readonly name: string;
  readonly certData?: string;
  readonly certFile?: string;
  readonly keyData?: string;
  readonly keyFile?: string;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly username?: string;
  readonly password?: string;
  readonly impersonateUser?: string;
  /** exec / auth-provider: handled by client-node. */
  readonly delegated: boolean;
}

interface KubeContext {
  name: string;
  cluster: string;
  user?: string;
}

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const list = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);
const fileExists = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

export class KubeConfig implements KubeClientConfig {
  clusters: KubeCluster[] = [];
  users: KubeUser[] = [];
  contexts: KubeContext[] = [];
  currentContext = "";
  /** Sources to replay into client-node for delegated users. */
  private readonly sources: Array<{ text: string; dir?: string }> = [];
  private delegate: Promise<KubeClientConfig> | undefined;

  loadFromString(text: string): void {
    this.sources.length = 0;
    this.clusters = [];
    this.users = [];
    this.contexts = [];
    this.currentContext = "";
    this.merge(text);
  }

  loadFromFile(file: string): void {
    this.loadFromString(readFileSync(file, "utf8"));
    this.absolutize(dirname(file));
  }

  /** KUBECONFIG (files merged, first wins), ~/.kube/config, the in-cluster service account, localhost:8080. */
  loadFromDefault(): void {
    const env = process.env.KUBECONFIG;
    if (env) {
      const files = env.split(delimiter).filter(Boolean);
      this.loadFromFile(files[0]!);
      for (const f of files.slice(1)) {
        const other = new KubeConfig();
        other.loadFromFile(f);
        this.clusters.push(...other.clusters);
        this.users.push(...other.users);
        this.contexts.push(...other.contexts);
        this.currentContext ||= other.currentContext;
        this.sources.push(...other.sources);
      }
      return;
    }
    const home = join(homedir(), ".kube", "config");
    if (fileExists(home)) {
      this.loadFromFile(home);
      return;
    }
    if (fileExists(`${SA_DIR}/token`)) {
      const host = process.env.KUBERNETES_SERVICE_HOST ?? "";
      const port = process.env.KUBERNETES_SERVICE_PORT ?? "";
      const scheme = ["80", "8080", "8001"].includes(port) ? "http" : "https";
      const server = `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`;
      this.clusters = [{ name: "inCluster", server, caFile: `${SA_DIR}/ca.crt`, skipTLSVerify: false }];
      this.users = [{ name: "inClusterUser", tokenFile: `${SA_DIR}/token`, delegated: false }];
    } else {
      this.clusters = [{ name: "cluster", server: "http://localhost:8080", skipTLSVerify: false }];
      this.users = [{ name: "user", delegated: false }];
    }
    this.contexts = [{ name: "loaded-context", cluster: this.clusters[0]!.name, user: this.users[0]!.name }];
    this.currentContext = "loaded-context";
  }

  getCurrentCluster(): KubeCluster | null {
    const ctx = this.contexts.find((c) => c.name === this.currentContext);
    return (ctx && this.clusters.find((c) => c.name === ctx.cluster)) ?? null;
  }

  getCurrentUser(): KubeUser | null {
    const ctx = this.contexts.find((c) => c.name === this.currentContext);
    return (ctx && this.users.find((u) => u.name === ctx.user)) ?? null;
  }

  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    const user = this.getCurrentUser();
    const cluster = this.getCurrentCluster();
    if (user?.delegated || cluster?.proxyUrl) return (await this.delegated()).applyToHTTPSOptions(opts);
    if (!user) return;
    if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = cluster && bytes(cluster.caFile, cluster.caData);
    if (ca) opts.ca = ca;
    const cert = bytes(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = bytes(user.keyFile, user.keyData);
    if (key) opts.key = key;
    opts.headers ??= {};
    const headers = opts.headers as Record<string, string>;
    if (user.impersonateUser) headers["Impersonate-User"] = user.impersonateUser;
    // A token file is re-read on every request: projected service-account tokens rotate.
    const token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, "utf8").trim() : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    if (user.username) opts.auth = `${user.username}:${user.password}`;
  }

  private merge(text: string): void {
    const doc = (parse(text) ?? {}) as Raw;
    if (typeof doc !== "object") throw new Error("kubeconfig is not a YAML mapping");
    this.sources.push({ text });
    list(doc.clusters).forEach((e, i) => {
      const c = (e.cluster ?? undefined) as Raw | undefined;
      if (!str(e.name)) throw new Error(`clusters[${i}].name is missing`);
      if (!c) throw new Error(`clusters[${i}].cluster is missing`);
      if (!str(c.server)) throw new Error(`clusters[${i}].cluster.server is missing`);
      this.clusters.push({
        name: e.name as string,
        server: (c.server as string).replace(/\/$/, ""),
        caData: str(c["certificate-authority-data"]),
        caFile: str(c["certificate-authority"]),
        skipTLSVerify: c["insecure-skip-tls-verify"] === true,
        tlsServerName: str(c["tls-server-name"]),
        proxyUrl: str(c["proxy-url"]),
      });
    });
    list(doc.users).forEach((e, i) => {
      const u = (e.user ?? {}) as Raw;
      if (!str(e.name)) throw new Error(`users[${i}].name is missing`);
      this.users.push({
        name: e.name as string,
        certData: str(u["client-certificate-data"]),
        certFile: str(u["client-certificate"]),
        keyData: str(u["client-key-data"]),
        keyFile: str(u["client-key"]),
        token: str(u.token),
        tokenFile: str(u["token-file"]),
        username: str(u.username),
        password: str(u.password),
        impersonateUser: str(u.as),
        delegated: u.exec != null || u["auth-provider"] != null,
      });
    });
    list(doc.contexts).forEach((e, i) => {
      const c = (e.context ?? undefined) as Raw | undefined;
      if (!str(e.name)) throw new Error(`contexts[${i}].name is missing`);
      if (!c) throw new Error(`contexts[${i}].context is missing`);
      if (!str(c.cluster)) throw new Error(`contexts[${i}].context.cluster is missing`);
      this.contexts.push({ name: e.name as string, cluster: c.cluster as string, user: str(c.user) });
    });
    this.currentContext = str(doc["current-context"]) ?? "";
  }

  private absolutize(root: string): void {
    const abs = (f: string | undefined) => (f && !isAbsolute(f) ? join(root, f) : f);
    this.clusters = this.clusters.map((c) => ({ ...c, caFile: abs(c.caFile) }));
    this.users = this.users.map((u) => ({ ...u, certFile: abs(u.certFile), keyFile: abs(u.keyFile) }));
    for (const s of this.sources) s.dir ??= root;
  }

  /** client-node's KubeConfig over the same sources and current context (exec plugins, auth providers). */
  private delegated(): Promise<KubeClientConfig> {
    this.delegate ??= import("@kubernetes/client-node").then(({ KubeConfig: Full }) => {
      const [first, ...rest] = this.sources;
      const load = (s: { text: string; dir?: string }) => {
        const kc = new Full();
        kc.loadFromString(s.text);
        if (s.dir) kc.makePathsAbsolute(s.dir);
        return kc;
      };
      const kc = load(first!);
      for (const s of rest) kc.mergeConfig(load(s), true);
      kc.setCurrentContext(this.currentContext);
      return kc;
    });
    return this.delegate;
  }
}

function bytes(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, "base64");
  return undefined;
}
