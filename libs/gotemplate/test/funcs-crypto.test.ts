// sprig crypto on node:crypto and a local bcrypt, checked against values produced by Go.
import { bcryptHash } from "../src/funcs/go/bcrypt.js";
import { render } from "../src/internal.js";

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
