// DirConfigStore: a directory of multi-document YAML files (docker-compose and local use).
// Each *.yaml/*.yml file below `dir` is read; a file that stops parsing keeps its last good objects
// and its syntax errors are reported under invalid["File/<path>"] and lastError. Reloads on change.
import { createHash } from "node:crypto";
import { type FSWatcher, readdirSync, readFileSync, watch } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { ChangeListeners } from "./listeners.js";
import { ConfigState, kubeconfigFromSecrets, objectKey } from "./state.js";
import type {
  ConfigChange,
  ConfigKind,
  ConfigObservation,
  ConfigSnapshot,
  ConfigStore,
  KubeObject,
  SveltosCluster,
  ValidationProblem,
} from "./types.js";
import { isKnownKind } from "./validate.js";
import { loadYamlDocuments } from "./yamlDocs.js";

/** A SveltosCluster annotated with this names its kubeconfig file, relative to the config dir. */
export const KUBECONFIG_FILE_ANNOTATION = "evtrigger.io/kubeconfig-file";

export interface DirConfigStoreOptions {
  dir: string;
  /** Quiet period after a file event before re-reading (default 100 ms). */
  debounceMs?: number;
}

interface FileState {
  hash: string;
  /** "Kind\0key" of the objects this file contributes (from its last good parse). */
  objects: Set<string>;
}

export class DirConfigStore implements ConfigStore {
  private readonly dir: string;
  private readonly debounceMs: number;
  private readonly state: ConfigState;
  private readonly files = new Map<string, FileState>();
  private readonly owners = new Map<string, string>();
  private readonly listeners = new ChangeListeners();
  private readonly kubeconfigs = new Map<string, { text?: string; error?: string }>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private _ready = false;
  private _lastError: Error | undefined;
  private scans = 0;

  constructor(opts: DirConfigStoreOptions) {
    this.dir = resolve(opts.dir);
    this.debounceMs = opts.debounceMs ?? 100;
    this.state = new ConfigState((c, secrets) => this.resolveKubeconfig(c, secrets));
  }

  get ready(): boolean {
    return this._ready;
  }

  get lastError(): Error | undefined {
    return this._lastError;
  }

  async start(): Promise<void> {
    if (this.closed) throw new ConfigError("EVT_CONFIG_CLOSED", "DirConfigStore is closed");
    this.scan();
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => this.schedule());
      this.watcher.on("error", (err) => {
        this._lastError = new ConfigError("EVT_CONFIG_IO", `watching ${this.dir} failed: ${err.message}`, {
          cause: err,
        });
      });
    } catch (err) {
      throw new ConfigError("EVT_CONFIG_IO", `cannot watch ${this.dir}: ${(err as Error).message}`, { cause: err });
    }
    this._ready = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
  }

  snapshot(): ConfigSnapshot {
    return this.state.snapshot();
  }

  onChange(listener: (change: ConfigChange) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Completed scans and, per file, the sha256 of the content last read (a file being written may lag). */
  observed(): ConfigObservation {
    return {
      source: "directory",
      version: this.state.snapshot().version,
      scans: this.scans,
      files: Object.fromEntries([...this.files].map(([rel, f]) => [rel, f.hash])),
    };
  }

  /** Re-reads the directory now (tests and `SIGHUP` handlers; file events do this automatically). */
  reload(): void {
    this.scan();
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.scan(), this.debounceMs);
    this.timer.unref();
  }

  private listFiles(): string[] {
    let entries: string[];
    try {
      entries = readdirSync(this.dir, { recursive: true, encoding: "utf8" });
    } catch (err) {
      throw new ConfigError("EVT_CONFIG_IO", `cannot read ${this.dir}: ${(err as Error).message}`, { cause: err });
    }
    return entries.filter((f) => /\.ya?ml$/.test(f)).sort();
  }

  private scan(): void {
    if (this.closed) return;
    let files: string[];
    try {
      files = this.listFiles();
    } catch (err) {
      this._lastError = err as Error;
      return;
    }
    const broken: string[] = [];
    for (const gone of [...this.files.keys()].filter((f) => !files.includes(f))) {
      this.replaceFileObjects(gone, []);
      this.files.delete(gone);
      this.state.setExtraInvalid(`File/${gone}`, undefined);
    }
    for (const rel of files) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, rel), "utf8");
      } catch {
        continue; // vanished between readdir and read: the next event rescans
      }
      const hash = createHash("sha256").update(text).digest("hex");
      const prev = this.files.get(rel);
      if (prev?.hash === hash) {
        if (this.snapshot().invalid.has(`File/${rel}`)) broken.push(rel);
        continue;
      }
      const { objects, problems } = loadYamlDocuments(text, rel);
      if (problems.length) {
        // Keep the last good objects of this file; remember the hash so an unchanged broken file is not re-parsed.
        this.files.set(rel, { hash, objects: prev?.objects ?? new Set() });
        this.state.setExtraInvalid(`File/${rel}`, problems);
        broken.push(rel);
        continue;
      }
      const fileProblems: ValidationProblem[] = [];
      const kept = objects.filter((o) => {
        if (isKnownKind(o.object)) return true;
        const obj = o.object as Partial<KubeObject> | null;
        if (
          !obj ||
          typeof obj !== "object" ||
          !obj.kind ||
          String(obj.apiVersion ?? "").startsWith("lib.projectsveltos.io")
        ) {
          fileProblems.push({
            kind: String(obj?.kind ?? "<unknown kind>"),
            name: String(obj?.metadata?.name ?? "<unnamed>"),
            path: "",
            reason:
              "not a kind evtrigger reads (EventSource, EventTrigger, SveltosCluster, ClusterSet, ConfigMap, Secret)",
            file: rel,
            doc: o.doc,
          });
        }
        return false;
      });
      this.state.setExtraInvalid(`File/${rel}`, fileProblems.length ? fileProblems : undefined);
      const entries = this.replaceFileObjects(
        rel,
        kept.map((o) => ({ obj: o.object as KubeObject, doc: o.doc })),
      );
      this.files.set(rel, { hash, objects: entries });
    }
    this.readKubeconfigFiles();
    this.state.invalidate(); // kubeconfig files may have changed even when no YAML did
    this._lastError = broken.length
      ? new ConfigError("EVT_CONFIG_YAML", `broken YAML in ${broken.join(", ")}; keeping their last good objects`)
      : undefined;
    this.listeners.emit(this.state.commit(), (err) => {
      this._lastError = err as Error;
    });
    this.scans++;
  }

  /** Sets the objects contributed by one file, removing those it no longer defines. */
  private replaceFileObjects(rel: string, objs: { obj: KubeObject; doc: number }[]): Set<string> {
    const next = new Set<string>();
    for (const { obj, doc } of objs) {
      const kind = obj.kind as ConfigKind;
      const id = `${kind}\u0000${objectKey(kind, obj)}`;
      const owner = this.owners.get(id);
      if (owner !== undefined && owner !== rel && this.files.has(owner)) {
        const dup: ValidationProblem = {
          kind,
          name: obj.metadata.name,
          path: "",
          reason: `also defined in ${owner}; this copy is ignored`,
          file: rel,
          doc,
        };
        const key = `File/${rel}`;
        this.state.setExtraInvalid(key, [...(this.snapshot().invalid.get(key) ?? []), dup]);
        continue;
      }
      this.owners.set(id, rel);
      next.add(id);
      this.state.put(kind, obj, { file: rel, doc });
    }
    for (const id of this.files.get(rel)?.objects ?? []) {
      if (next.has(id)) continue;
      const [kind, key] = id.split("\u0000") as [ConfigKind, string];
      if (this.owners.get(id) === rel) this.owners.delete(id);
      this.state.remove(kind, key);
    }
    return next;
  }

  private kubeconfigPath(cluster: SveltosCluster): string | undefined {
    const file = cluster.metadata.annotations?.[KUBECONFIG_FILE_ANNOTATION];
    if (file === undefined) return undefined;
    return isAbsolute(file) ? file : join(this.dir, file);
  }

  /** Reads kubeconfig files during a scan only, so a snapshot never sees a file before its change event. */
  private readKubeconfigFiles(): void {
    this.kubeconfigs.clear();
    for (const c of this.state.snapshot().clusters.values()) {
      const path = this.kubeconfigPath(c.object);
      if (path === undefined || this.kubeconfigs.has(path)) continue;
      try {
        this.kubeconfigs.set(path, { text: readFileSync(path, "utf8") });
      } catch (err) {
        this.kubeconfigs.set(path, { error: `kubeconfig file ${relative(this.dir, path)}: ${(err as Error).message}` });
      }
    }
  }

  private resolveKubeconfig(cluster: SveltosCluster, secrets: ReadonlyMap<string, KubeObject>) {
    const path = this.kubeconfigPath(cluster);
    if (path === undefined) return kubeconfigFromSecrets(cluster, secrets);
    const read = this.kubeconfigs.get(path);
    if (!read) return { kubeconfigPath: path, error: "kubeconfig file not read yet" };
    return { kubeconfig: read.text, kubeconfigPath: path, error: read.error };
  }
}
