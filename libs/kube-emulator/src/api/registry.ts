import { builtinTypes } from "./builtins.js";
import { type ResourceType, resourceKey } from "./types.js";

/**
 * The set of served resources: built-ins plus whatever established CRDs add. Discovery, OpenAPI and the
 * router all read it, so a CRD becomes visible everywhere at once.
 */
export class Registry {
  private readonly types = new Map<string, ResourceType>();
  /** Bumped on every change; part of the OpenAPI hashes so kubectl's cache notices new kinds. */
  generation = 0;

  constructor() {
    for (const t of builtinTypes()) this.types.set(resourceKey(t.group, t.plural), t);
  }

  put(t: ResourceType): void {
    this.types.set(resourceKey(t.group, t.plural), t);
    this.generation++;
  }

  remove(group: string, plural: string): void {
    this.types.delete(resourceKey(group, plural));
    this.generation++;
  }

  get(group: string, plural: string): ResourceType | undefined {
    return this.types.get(resourceKey(group, plural));
  }

  /** The type served at group/version under `plural`, or undefined. */
  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    const t = this.get(group, plural);
    return t?.versions.includes(version) ? t : undefined;
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  /** Groups (other than core) with their served versions, preferred first. */
  groups(): { name: string; versions: string[] }[] {
    const out = new Map<string, string[]>();
    for (const t of this.types.values()) {
      if (!t.group) continue;
      const vs = out.get(t.group) ?? [];
      for (const v of t.versions) if (!vs.includes(v)) vs.push(v);
      out.set(t.group, vs);
    }
    return [...out.entries()].map(([name, versions]) => ({ name, versions }));
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.versions.includes(version));
  }
}
