// Sveltos' functions: encoders with libsveltos' error conventions and event-manager's resource helpers
// (expectations from Go: libsveltos funcmap, k8s unstructured helpers, gopkg.in/yaml.v3).
import { createFuncs, defaultFuncs, sveltosFuncs, textFuncs } from "../src/funcs/index.js";
import { parse, render } from "../src/internal.js";

const cluster = () => ({
  c: {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "x", uid: "u1", resourceVersion: "5", managedFields: [{ a: 1 }], labels: { b: "2", a: "yes" } },
    data: { k: "v", f: 1.5, big: 1000000, multi: "a\nb", list: [1, "x", { y: null }] },
  },
});

describe("sveltos functions", () => {
  test("sveltos - the default and text maps hold every sprig and Sveltos function", () => {
    for (const name of [
      "toYaml",
      "fromYamlArray",
      "toToml",
      "getResource",
      "chainSetField",
      "semverCompare",
      "dateInZone",
      "mustRegexSplit",
    ]) {
      expect(defaultFuncs[name]).toBeDefined();
      expect(textFuncs[name]).toBeDefined();
    }
    expect(Object.keys(defaultFuncs).length).toBe(Object.keys(textFuncs).length);
    expect(sveltosFuncs.toJson).toBeDefined();
  });

  test("sveltos - encoders swallow errors the libsveltos way", () => {
    expect(render("{{ toYaml .v }}|{{ toJson .v }}", { v: { a: 1 } })).toBe('a: 1|{"a":1}');
    expect(render('{{ fromYaml "- a" }}', {})).toBe(
      "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]",
    );
    expect(render('{{ fromYamlArray "a: 1" }}', {})).toBe(
      "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]",
    );
    expect(render('{{ fromJson "not json" }}|{{ fromJsonArray "{}" }}', {})).toBe(
      "map[Error:invalid character 'o' in literal null (expecting 'u')]|[json: cannot unmarshal object into Go value of type []interface {}]",
    );
  });

  test("sveltos - getResource drops managedFields, resourceVersion and uid in place", () => {
    const data = cluster();
    expect(render("{{ (getResource .c).metadata }}|{{ .c.metadata }}", data)).toBe(
      "map[labels:map[a:yes b:2] name:x]|map[labels:map[a:yes b:2] name:x]",
    );
  });

  test("sveltos - copy, setField and removeField print yaml.v3 (4-space indent, %g floats)", () => {
    expect(render("{{ copy .c }}", cluster())).toBe(
      'apiVersion: v1\ndata:\n    big: 1e+06\n    f: 1.5\n    k: v\n    list:\n        - 1\n        - x\n        - "y": null\n    multi: |-\n        a\n        b\nkind: ConfigMap\nmetadata:\n    labels:\n        a: "yes"\n        b: "2"\n    name: x',
    );
    expect(render('{{ removeField .c "data" }}', cluster())).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n    labels:\n        a: "yes"\n        b: "2"\n    name: x',
    );
    expect(render('{{ setField .c "spec.replicas" "3" }}', cluster())).toContain('\nspec:\n    replicas: "3"');
  });

  test("sveltos - setField fails like runtime.DeepCopyJSONValue and swallows path errors", () => {
    expect(() => render('{{ setField .c "spec.replicas" 3 }}', cluster())).toThrow(
      "error calling setField: cannot deep copy int",
    );
    expect(render('{{ setField .c "metadata.name.x" "3" }}|', cluster())).toBe("|");
    expect(render('{{ chainSetField .c "metadata.name.q" "c" }}', cluster())).toBe("map[]");
  });

  test("sveltos - getField returns the value or an empty string", () => {
    expect(
      render(
        '{{ getField .c "metadata.labels.a" }}|{{ getField .c "metadata.name.x" }}|{{ getField .c "nope.x" }}|{{ getField .c "data.list" }}',
        cluster(),
      ),
    ).toBe("yes|||[1 x map[y:<nil>]]");
  });

  test("sveltos - chain helpers return the edited map for further piping", () => {
    expect(render('{{ (chainSetField (chainRemoveField .c "metadata") "spec.x" "1") | toJson }}', cluster())).toBe(
      '{"apiVersion":"v1","data":{"big":1000000,"f":1.5,"k":"v","list":[1,"x",{"y":null}],"multi":"a\\nb"},"kind":"ConfigMap","spec":{"x":"1"}}',
    );
  });
});

describe("deliberate differences from Go", () => {
  test("hermetic - env and expandenv never expose the service's environment unless injected", () => {
    expect(render('{{ env "HOME" }}|{{ expandenv "a $HOME b" }}', {})).toBe("|a  b");
    const funcs = createFuncs({ env: { getenv: (k) => (k === "HOME" ? "/home/x" : "") } });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell-style variable in a Go template
    expect(parse("env", '{{ env "HOME" }}|{{ expandenv "a ${HOME} b" }}', { funcs }).execute({})).toBe(
      "/home/x|a /home/x b",
    );
  });

  test("hermetic - getHostByName resolves only localhost", () => {
    expect(render('{{ getHostByName "localhost" }}', {})).toBe("127.0.0.1");
    expect(() => render('{{ getHostByName "example.com" }}', {})).toThrow("error calling getHostByName");
  });
});
