import { KubeConfig, type KubernetesObject, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { parseAllDocuments } from "yaml";

/** A client for one cluster from a kubeconfig file. */
export function objectApi(kubeconfigPath: string): KubernetesObjectApi {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return KubernetesObjectApi.makeApiClient(kc);
}

/** Server-side applies each object (create or update) with the field manager `evtctl`. */
export async function applyObjects(api: KubernetesObjectApi, objects: KubernetesObject[]): Promise<void> {
  for (const o of objects) {
    await api.patch(o, undefined, undefined, "evtctl", true, PatchStrategy.ServerSideApply);
  }
}

/** Parses multi-document YAML into objects, skipping empty documents; a parse error names the file. */
export function parseObjects(text: string, file: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    const v = doc.toJS() as KubernetesObject | null;
    if (v && typeof v === "object") out.push(v);
  }
  return out;
}
