import { decodeError, validateName } from "../src/internal.js";

describe("validate", () => {
  test("validate - names are DNS-1123 subdomains, Namespaces and Services DNS-1123 labels", () => {
    expect(validateName("ConfigMap", "a.b-c")).toEqual([]);
    expect(validateName("ConfigMap", "Upper")[0]).toMatchObject({ field: "metadata.name", type: "FieldValueInvalid" });
    expect(validateName("Namespace", "a.b")[0]?.message).toContain("RFC 1123 label");
    expect(validateName("Namespace", "x".repeat(64))).toHaveLength(1);
    expect(validateName("ConfigMap", undefined)[0]).toMatchObject({ type: "FieldValueRequired" });
  });

  test("validate - ConfigMap and Secret maps must hold strings, Secret data base64", () => {
    expect(decodeError("ConfigMap", { data: { a: "1" } })).toBeUndefined();
    expect(decodeError("ConfigMap", { data: { a: 1 } })).toContain(
      "cannot unmarshal number into Go struct field ConfigMap.data",
    );
    expect(decodeError("Secret", { data: { a: "dg==" }, stringData: { b: "x" } })).toBeUndefined();
    expect(decodeError("Secret", { data: { a: "%%%" } })).toContain("illegal base64 data");
    expect(decodeError("Namespace", { data: 5 })).toBeUndefined();
  });
});
