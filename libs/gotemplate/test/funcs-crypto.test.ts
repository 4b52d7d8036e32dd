// sprig crypto on node:crypto and a local bcrypt, checked against values produced by Go.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bcryptHash } from "../src/funcs/go/bcrypt.js";
import { render } from "../src/internal.js";

const here = dirname(fileURLToPath(import.meta.url));
/** A CA made by Go's sprig genCA (base64 PEM cert and key), for cross-checks. */
const goCA = JSON.parse(readFileSync(join(here, "fixtures", "funcs-go-ca.json"), "utf8")) as { c: string; k: string };

const BC = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const bcryptSalt = (s: string) =>
  Buffer.from(Array.from(s, (c) => STD[BC.indexOf(c)]).join(""), "base64").subarray(0, 16);

describe("crypto", () => {
  test("crypto - bcrypt matches the OpenBSD test vector", () => {
    expect(bcryptHash(Buffer.from("U*U"), bcryptSalt("CCCCCCCCCCCCCCCCCCCCC."), 5)).toBe(
      "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
    );
  });

  test("crypto - bcrypt reproduces hashes made by Go's x/crypto/bcrypt", () => {
    // From the Go oracle: {{ htpasswd "user" "secret" }} and {{ bcrypt "x" }} (cost 10, random salts).
    for (const [pw, hash] of [
      ["secret", "$2a$10$QyppQkRMW4bJbPKWIVunmeUiGhLxCbvKHp.yHm8DoG0kE/Cfs2q0W"],
      ["x", "$2a$10$nVUmJXsD47vti3khSBIiluqfBwsf4891U/vnveTwXmDcx16a0Li.m"],
    ] as const) {
      expect(bcryptHash(Buffer.from(pw), bcryptSalt(hash.slice(7, 29)), 10)).toBe(hash);
    }
  });

  test("crypto - bcrypt and htpasswd have Go's shape and username check", () => {
    expect(render('{{ bcrypt "pw" }}', {})).toMatch(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(render('{{ htpasswd "user" "pw" }}', {})).toMatch(/^user:\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(render('{{ htpasswd "a:b" "x" }}', {})).toBe("invalid username: a:b");
  });

  test("crypto - decryptAES reads what Go's encryptAES wrote, and round-trips its own", () => {
    expect(render('{{ decryptAES "secretkey" "aZ70d6BrtuidvTXX6POawkbiCUHUF+746ZHT0+JfgzM=" }}', {})).toBe(
      "héllo, world",
    );
    expect(render('{{ encryptAES "k" "data" | decryptAES "k" }}', {})).toBe("data");
    expect(() => render('{{ decryptAES "k" "bad" }}', {})).toThrow("illegal base64 data at input byte 0");
  });

  test("crypto - hashes and derivePassword match Go", () => {
    expect(
      render(
        '{{ sha1sum "abc" }} {{ adler32sum "Wikipedia" }} {{ derivePassword 1 "long" "password" "user" "example.com" }}',
        {},
      ),
    ).toBe("a9993e364706816aba3e25717850c26c9cd0d89d 300286872 ZedaFaxcZaso9*");
  });
});

describe("certificates", () => {
  test("certs - genCA and genSignedCert build a verifiable chain with Go's extensions", () => {
    const out = render(
      '{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc.ns" (list "10.0.0.1" "::1") (list "svc" "svc.ns.svc") 30 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}',
      {},
    );
    const [caPem, leafPem, keyPem] = out.split("|") as [string, string, string];
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(leafPem);
    expect(ca.subject).toBe("CN=my-ca");
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.issuer).toBe("CN=my-ca");
    expect(leaf.subjectAltName).toBe("DNS:svc, DNS:svc.ns.svc, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(keyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----")).toBe(true);
    const days = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / 86400000;
    expect(days).toBe(30);
  });

  test("certs - a CA made by Go signs through buildCustomCert", () => {
    const out = render(
      '{{ $ca := buildCustomCert .c .k }}{{ (genSignedCert "leaf" nil (list "x.y") 5 $ca).Cert }}',
      goCA,
    );
    const ca = new X509Certificate(Buffer.from(goCA.c, "base64").toString());
    const leaf = new X509Certificate(out);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.issuer).toBe(ca.subject);
  });

  test("certs - *WithKey variants keep the given key; bad input fails like sprig", () => {
    expect(
      render(
        '{{ (genSelfSignedCertWithKey "x" nil nil 1 (genPrivateKey "ed25519")).Key | hasPrefix "-----BEGIN PRIVATE KEY-----" }}',
        {},
      ),
    ).toBe("true");
    expect(render('{{ typeOf (genCA "x" 1) }}', {})).toBe("sprig.certificate");
    expect(() => render('{{ genSelfSignedCert "x" (list "bad") nil 1 }}', {})).toThrow("error parsing ip: bad");
    expect(() => render('{{ genCAWithKey "x" 1 "junk" }}', {})).toThrow("parsing private key: no PEM data in input");
    expect(() => render('{{ buildCustomCert "!!" "x" }}', {})).toThrow("unable to decode base64 certificate");
  });
});
