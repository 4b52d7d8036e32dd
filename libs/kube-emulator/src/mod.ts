// @evtrigger/kube-emulator: an in-process Kubernetes API server for kubectl, client-node and our services.

export type {
  EmulatorStore,
  FaultAction,
  FaultMatch,
  FaultSpec,
  KubeEmulator,
  KubeEmulatorOptions,
  KubeObject,
  RequestRecord,
} from "./internal.js";
export {
  ApiError,
  FaultInjector,
  KubeEmulatorError,
  kubeconfigYaml,
  startKubeEmulator,
  startKubeEmulators,
} from "./internal.js";
