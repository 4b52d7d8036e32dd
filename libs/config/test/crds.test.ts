import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crdFiles, crdManifest } from "@evtrigger/config";

const crdDir = join(dirname(fileURLToPath(import.meta.url)), "../../../k8s/crds");

test("crds - committed k8s/crds match the schemas (run `node scripts/gen-crds.mjs` after a schema change)", () => {
  const files = crdFiles();
  expect(
    readdirSync(crdDir)
      .filter((f) => f.endsWith(".yaml"))
      .sort(),
  ).toEqual(files.map((f) => f.name).sort());
  for (const f of files) {
    expect({ file: f.name, content: readFileSync(join(crdDir, f.name), "utf8") }).toEqual({
      file: f.name,
      content: f.content,
    });
  }
});

test("crds - every kind declares the status subresource and EventTrigger carries defaults and conditions", () => {
  const crd = crdManifest("EventTrigger") as unknown as {
    spec: {
      scope: string;
      versions: {
        subresources: unknown;
        schema: {
          openAPIV3Schema: { properties: Record<string, { properties: Record<string, { default?: unknown }> }> };
        };
      }[];
    };
  };
  const v = crd.spec.versions[0]!;
  expect(crd.spec.scope).toBe("Cluster");
  expect(v.subresources).toEqual({ status: {} });
  const props = v.schema.openAPIV3Schema.properties;
  expect(props.spec!.properties.syncMode!.default).toBe("Continuous");
  expect(props.spec!.properties.oneForEvent!.default).toBe(false);
  expect(props.status!.properties.conditions).toBeDefined();
  expect((crdManifest("SveltosCluster").spec as { scope: string }).scope).toBe("Namespaced");
});
