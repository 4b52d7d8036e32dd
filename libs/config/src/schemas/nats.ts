// JSON Schema of the managed cluster's `projectsveltos/sveltos-nats` Secret payload (key `sveltos-nats`).
// Both Sveltos forms of `jetstream` are accepted: `subjects` (agent code: stream names) and `streams` (docs).
import type { OpenApiSchema } from "./common.js";

const str: OpenApiSchema = { type: "string" };
const strList: OpenApiSchema = { type: "array", items: { type: "string", minLength: 1 } };

export const natsAuthorizationSchema: OpenApiSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    user: {
      type: "object",
      additionalProperties: false,
      required: ["user", "password"],
      properties: { user: str, password: str },
    },
    token: str,
    clientCert: {
      type: "object",
      additionalProperties: false,
      required: ["certPem", "keyPem"],
      properties: { certPem: str, keyPem: str },
    },
    rootCA: str,
    nkey: { type: "object", additionalProperties: false, required: ["seed"], properties: { seed: str } },
    creds: str,
  },
};

const url: OpenApiSchema = { type: "string", minLength: 1 };

export const natsConnectionSchema: OpenApiSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    nats: {
      type: "object",
      additionalProperties: false,
      required: ["configuration"],
      properties: {
        configuration: {
          type: "object",
          additionalProperties: false,
          required: ["url", "subjects"],
          properties: { url, subjects: strList, authorization: natsAuthorizationSchema },
        },
      },
    },
    jetstream: {
      type: "object",
      additionalProperties: false,
      required: ["configuration"],
      properties: {
        configuration: {
          type: "object",
          additionalProperties: false,
          required: ["url"],
          anyOf: [{ required: ["subjects"] }, { required: ["streams"] }],
          properties: {
            url,
            subjects: strList,
            streams: {
              type: "array",
              items: {
                type: "object",
                additionalProperties: false,
                required: ["name", "subjects"],
                properties: { name: { type: "string", minLength: 1 }, subjects: strList },
              },
            },
            authorization: natsAuthorizationSchema,
          },
        },
      },
    },
  },
};
