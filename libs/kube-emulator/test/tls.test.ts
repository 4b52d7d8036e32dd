import { X509Certificate } from "node:crypto";
import { derPositiveInteger, makeServingCert } from "../src/server/tls.js";

describe("serving certificate", () => {
  it("encodes serial numbers in minimal DER whatever the random bytes", () => {
    const hex = (b: number[]) => derPositiveInteger(Buffer.from(b)).toString("hex");
    expect(hex([0x00, 0x01, 0x02])).toBe("02020102"); // a leading zero byte is "illegal padding" to OpenSSL
    expect(hex([0x00, 0x00, 0x80])).toBe("02020080"); // high bit set keeps exactly one zero
    expect(hex([0x80, 0x01])).toBe("0203008001");
    expect(hex([0x7f])).toBe("02017f");
    expect(hex([0x00, 0x00])).toBe("020100");
  });

  it("produces a certificate OpenSSL parses, with the SANs kubectl checks", () => {
    const cert = new X509Certificate(makeServingCert("example.test").certPem);
    expect(cert.subjectAltName).toContain("DNS:example.test");
    expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
    expect(cert.ca).toBe(true);
    expect(cert.serialNumber).not.toMatch(/^00/);
  });
});
