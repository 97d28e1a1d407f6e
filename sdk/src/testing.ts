// `@bttkit/sdk/testing`: the ABIs of the project's test mocks (TestBTT and the audit's hostile
// tokens and vaults). Not part of the runtime package's other entries.
export * from "./generated/abi/mocks/index.js";
