// Writes conditions through the status subresource: read-modify-write of status.conditions guarded by
// resourceVersion (409 → retry), one write at a time per object, later wishes replacing queued ones.
import type { KubeApiError, KubeHttp } from "./kubeHttp.js";
import type { Condition, KubeObject, ValidationProblem } from "./types.js";

const MAX_MESSAGE = 4000;

/** The Valid condition an object should carry, or undefined when it already carries exactly that. */
export function conditionFor(raw: KubeObject, problems: ValidationProblem[]): Condition | undefined {
  const generation = raw.metadata.generation;
  const message = problems.length
    ? problems.map((p) => (p.path ? `${p.path}: ${p.reason}` : p.reason)).join("; ")
    : "spec accepted";
  const wanted: Condition = {
    type: "Valid",
    status: problems.length ? "False" : "True",
    reason: problems.length ? "InvalidSpec" : "Valid",
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  const status = raw.status as { conditions?: Condition[] } | undefined;
  const have = status?.conditions?.find((c) => c.type === "Valid");
  if (
    have &&
    have.status === wanted.status &&
    have.reason === wanted.reason &&
    have.message === wanted.message &&
    have.observedGeneration === wanted.observedGeneration
  ) {
    return undefined;
  }
  return wanted;
}

export function mergeCondition(existing: Condition[] | undefined, c: Condition, now = new Date()): Condition[] {
  const list = [...(existing ?? [])];
  const i = list.findIndex((x) => x.type === c.type);
  const prev = i >= 0 ? list[i] : undefined;
  const lastTransitionTime =
    prev && prev.status === c.status && prev.lastTransitionTime
      ? prev.lastTransitionTime
      : now.toISOString().replace(/\.\d+Z$/, "Z");
  const next = { ...c, lastTransitionTime };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}

export class StatusWriter {
  /** Latest wish per object, in arrival order; an object being written waits here for its next turn. */
  private readonly queued = new Map<string, { path: string; name: string; condition: Condition; known?: KubeObject }>();
  private readonly inflight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly http: KubeHttp,
    private readonly onError: (err: Error) => void,
    /** Concurrent writes at most (an initial sync of thousands of objects must not flood the API). */
    private readonly concurrency = 8,
  ) {}

  /** Fire-and-forget: errors go to onError. `known`: the object as last seen (saves the GET when still current). */
  enqueue(collectionPath: string, name: string, condition: Condition, known?: KubeObject): void {
    this.queued.set(`${collectionPath}/${name}`, { path: collectionPath, name, condition, known });
    this.pump();
  }

  // Only `concurrency` writes exist at a time; the rest are queue entries, not suspended async calls
  // (10,000 EventSources synced at once made 10,000 pending promise chains).
  private pump(): void {
    for (const [id, job] of this.queued) {
      if (this.closed || this.running.size >= this.concurrency) return;
      if (this.inflight.has(id)) continue; // one write per object at a time; the newer wish follows it
      this.queued.delete(id);
      this.inflight.add(id);
      const p: Promise<void> = this.setCondition(job.path, job.name, job.condition, job.known)
        .catch((err: Error) => {
          if ((err as KubeApiError).status !== 404) this.onError(err); // deleted meanwhile: nothing to say
        })
        .finally(() => {
          this.inflight.delete(id);
          this.running.delete(p);
          this.pump();
        });
      this.running.add(p);
    }
  }

  /**
   * Merges `condition` into the object's status. `known` (the object as the watch last delivered it) replaces the
   * first GET; a stale one fails the resourceVersion precondition (409) and the retry reads the object.
   */
  async setCondition(collectionPath: string, name: string, condition: Condition, known?: KubeObject): Promise<void> {
    const objPath = `${collectionPath}/${encodeURIComponent(name)}`;
    for (let attempt = 0; ; attempt++) {
      const current =
        attempt === 0 && known?.metadata.resourceVersion ? known : await this.http.request<KubeObject>("GET", objPath);
      const have = (current.status as { conditions?: Condition[] } | undefined)?.conditions?.find(
        (c) => c.type === condition.type,
      );
      if (
        have &&
        (["status", "reason", "message", "observedGeneration"] as const).every((k) => have[k] === condition[k])
      )
        return;
      const conditions = mergeCondition(
        (current.status as { conditions?: Condition[] } | undefined)?.conditions,
        condition,
      );
      const body = { metadata: { resourceVersion: current.metadata.resourceVersion }, status: { conditions } };
      try {
        await this.patch(`${objPath}/status`, body).catch(async (err: KubeApiError) => {
          // No status subresource (CRD installed without it): the main resource carries status then.
          if (err.status === 404 || err.status === 405) await this.patch(objPath, body);
          else throw err;
        });
        return;
      } catch (err) {
        if ((err as KubeApiError).status !== 409 || attempt >= 5) throw err;
      }
    }
  }

  private patch(path: string, body: unknown): Promise<unknown> {
    return this.http.request("PATCH", path, { body, contentType: "application/merge-patch+json" });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }
}
