/** A Kubernetes `metav1.Status` cause: one field that failed. */
export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

/** Failures of the emulator itself (start-up, bad options, bad fault specs). */
export class KubeEmulatorError extends Error {
  readonly code: string;
  constructor(code: `EVT_KUBEEMU_${string}`, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "KubeEmulatorError";
    this.code = code;
  }
}

/**
 * An error answered to a client as a `Status` object. Thrown anywhere below the router; the router turns it
 * into the HTTP status and body the real API server would send.
 */
export class ApiError extends Error {
  readonly code = "EVT_KUBEEMU_API";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: {
      name?: string;
      group?: string;
      kind?: string;
      causes?: StatusCause[];
      retryAfterSeconds?: number;
    },
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
  }

  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.status,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

type Target = { kind: string; group: string; name?: string };

function gr(t: Target, plural: string): string {
  return t.group ? `${plural}.${t.group}` : plural;
}

export const errors = {
  notFound: (t: Target, plural: string) =>
    new ApiError(404, "NotFound", `${gr(t, plural)} "${t.name}" not found`, {
      name: t.name,
      group: t.group,
      kind: plural,
    }),
  alreadyExists: (t: Target, plural: string) =>
    new ApiError(409, "AlreadyExists", `${gr(t, plural)} "${t.name}" already exists`, {
      name: t.name,
      group: t.group,
      kind: plural,
    }),
  conflict: (t: Target, plural: string, why: string) =>
    new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${gr(t, plural)} "${t.name}": ${why}`, {
      name: t.name,
      group: t.group,
      kind: plural,
    }),
  invalid: (t: Target, causes: StatusCause[]) =>
    new ApiError(
      422,
      "Invalid",
      `${t.kind}${t.group ? `.${t.group}` : ""} "${t.name ?? ""}" is invalid: ${causes
        .map((c) => `${c.field}: ${c.message}`)
        .join(", ")}`,
      { name: t.name, group: t.group, kind: t.kind, causes },
    ),
  invalidPatch: (message: string) => new ApiError(422, "Invalid", message),
  badRequest: (message: string) => new ApiError(400, "BadRequest", message),
  notAllowed: (message: string) => new ApiError(405, "MethodNotAllowed", message),
  unsupportedMedia: (type: string) =>
    new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type})`,
    ),
  forbidden: (message: string) => new ApiError(403, "Forbidden", message),
  gone: (message: string) => new ApiError(410, "Expired", message),
  unauthorized: () => new ApiError(401, "Unauthorized", "Unauthorized"),
  pathNotFound: (path: string) =>
    new ApiError(404, "NotFound", `the server could not find the requested resource (${path})`),
  internal: (message: string) => new ApiError(500, "InternalError", `Internal error occurred: ${message}`),
};
