// One jest run over every package. Tests are TypeScript, run as native ESM through swc (no type check here;
// `pnpm build` type-checks the sources). Workspace libs resolve to their sources so tests never need a build.
export default {
  testEnvironment: "node",
  extensionsToTreatAsEsm: [".ts"],
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "es6" } },
    ],
  },
  moduleNameMapper: {
    "^@evtrigger/(testkit|bus|config|gotemplate|kube-emulator|telemetry|runtime)$": "<rootDir>/libs/$1/src/mod.ts",
    "^(\\.{1,2}/.*)\\.js$": "$1",
  },
  testMatch: ["<rootDir>/{libs,services}/*/test/**/*.test.ts", "<rootDir>/e2e/test/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  maxWorkers: 2,
  testTimeout: 60000,
};
