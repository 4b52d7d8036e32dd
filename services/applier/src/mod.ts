// Public surface of @evtrigger/applier: the service, and the inventory reader evtctl uses.

export { sveltosIdentityValue, toLabelValue } from "./apply/labels.js";
export type { ClusterAccess, TemplateRender, TriggerConfigSource, TriggerStatusSink } from "./deps.js";
export type { ApplierErrorCode } from "./errors.js";
export { ApplierError } from "./errors.js";
export type { AddonFilter, AddonRow } from "./inventory/addons.js";
export { listAddons } from "./inventory/addons.js";
export type { CloudEventAction, DeployedObject, InventoryEntry } from "./inventory/entry.js";
export { objectId, resourceType } from "./inventory/entry.js";
export type { InventoryMode } from "./inventory/keys.js";
export { eventKeyOf, inventoryFilter, inventoryKey, parseInventoryKey } from "./inventory/keys.js";
export type { InventoryStore } from "./inventory/store.js";
export { InventoryConflict, openInventory } from "./inventory/store.js";
export type { Applier, ApplierOptions } from "./service.js";
export { parseMatch, startApplier } from "./service.js";
