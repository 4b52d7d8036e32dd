// Labels and annotations stamped on every deployed object. Sveltos' identity labels keep users' label
// selectors working; ours let the applier find (and sweep) what it deployed without its inventory.
import { createHash } from "node:crypto";

export const SVELTOS_CE_SOURCE = "eventtrigger.lib.projectsveltos.io/cesource";
export const SVELTOS_CE_SUBJECT = "eventtrigger.lib.projectsveltos.io/cesubject";
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "evtrigger";
export const LABEL_TRIGGER = "evtrigger.io/trigger";
export const LABEL_CLUSTER_NS = "evtrigger.io/source-cluster-namespace";
export const LABEL_CLUSTER_NAME = "evtrigger.io/source-cluster-name";
export const LABEL_EVENT_KEY = "evtrigger.io/event-key";
export const ANN_CE_SOURCE = "evtrigger.io/cesource";
export const ANN_CE_SUBJECT = "evtrigger.io/cesubject";
export const ANN_EVENT_SEQ = "evtrigger.io/event-seq";
/** The trigger name unencoded (the label may be hashed when the name is longer than 63 characters). */
export const ANN_TRIGGER = "evtrigger.io/trigger";

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isValidLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/**
 * A label value for any string, deterministic and never failing. A valid value is kept as is. An invalid
 * one becomes `<readable prefix>-h<16 hex chars of sha256(value)>`: the prefix is the value with every
 * character outside [-A-Za-z0-9_.] replaced by `-`, cut to 40 characters and trimmed to start and end
 * alphanumeric; without a usable prefix the result is `h<16 hex>`. Distinct values give distinct labels
 * (up to the 64-bit hash), and the original is kept in an annotation.
 */
export function toLabelValue(v: string): string {
  if (isValidLabelValue(v)) return v;
  const hash = createHash("sha256").update(v).digest("hex").slice(0, 16);
  const prefix = v
    .replace(/[^-A-Za-z0-9_.]/g, "-")
    .slice(0, 40)
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/[^A-Za-z0-9]+$/, "");
  return prefix ? `${prefix}-h${hash}` : `h${hash}`;
}

/** Sveltos' form: every `/` replaced by `-`, then our encoding when still not a valid label value. */
export function sveltosIdentityValue(v: string | undefined): string {
  return toLabelValue((v ?? "").replaceAll("/", "-"));
}

export interface Ownership {
  trigger: string;
  sourceCluster: { namespace: string; name: string };
  ceSource: string;
  ceSubject: string | undefined;
  /** Hash of (source cluster, CE source, CE subject): always a valid label value. */
  eventKey: string;
  eventSeq: number;
}

/** The selector that finds every object deployed for one (trigger, event key) in a destination cluster. */
export function ownerSelector(trigger: string, eventKey: string): string {
  return `${LABEL_TRIGGER}=${toLabelValue(trigger)},${LABEL_EVENT_KEY}=${eventKey}`;
}

/** Returns a copy of `obj` carrying the identity labels and annotations. */
export function stampOwnership<
  T extends { metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } },
>(obj: T, o: Ownership): T {
  const labels: Record<string, string> = {
    ...(obj.metadata.labels ?? {}),
    [SVELTOS_CE_SOURCE]: sveltosIdentityValue(o.ceSource),
    [SVELTOS_CE_SUBJECT]: sveltosIdentityValue(o.ceSubject),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_TRIGGER]: toLabelValue(o.trigger),
    [LABEL_CLUSTER_NS]: toLabelValue(o.sourceCluster.namespace),
    [LABEL_CLUSTER_NAME]: toLabelValue(o.sourceCluster.name),
    [LABEL_EVENT_KEY]: o.eventKey,
  };
  const annotations: Record<string, string> = {
    ...(obj.metadata.annotations ?? {}),
    [ANN_TRIGGER]: o.trigger,
    [ANN_CE_SOURCE]: o.ceSource,
    [ANN_CE_SUBJECT]: o.ceSubject ?? "",
  };
  return { ...obj, metadata: { ...obj.metadata, labels, annotations } };
}
