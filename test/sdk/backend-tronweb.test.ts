import { expect } from "chai";
import { describe, it } from "mocha";
import { createTronWebBackend } from "../../sdk/src/backend/createTronWebBackend.js";
import { TronWebBackend } from "../../sdk/src/backend/tronweb.js";
import { InvalidArgumentError } from "../../sdk/src/errors.js";
import { tronEnv } from "./backend-env.js";
import { runBackendSuite } from "./backend-suite.js";

runBackendSuite("TronWebBackend (devnode)", tronEnv, (url) =>
  createTronWebBackend({ fullHost: url, requestTimeoutMs: 3_000 }),
);

describe("TronWebBackend construction", () => {
  it("refuses a non-TronWeb, a bad URL, key, fee limit or chain id with InvalidArgumentError", () => {
    expect(() => new TronWebBackend({} as never)).to.throw(InvalidArgumentError);
    expect(() => createTronWebBackend({ fullHost: "nope" })).to.throw(InvalidArgumentError);
    expect(() => createTronWebBackend({ fullHost: "http://127.0.0.1:1", privateKey: "xyz" })).to.throw(
      InvalidArgumentError,
    );
    expect(() => createTronWebBackend({ fullHost: "http://127.0.0.1:1", feeLimit: 0n })).to.throw(InvalidArgumentError);
    expect(() => createTronWebBackend({ fullHost: "http://127.0.0.1:1", feeLimit: 16_000_000_000n })).to.throw(
      InvalidArgumentError,
    );
    expect(() => createTronWebBackend({ fullHost: "http://127.0.0.1:1", chainId: -1n })).to.throw(InvalidArgumentError);
    expect(() => createTronWebBackend(null as never)).to.throw(InvalidArgumentError);
  });
  it("takes the chain id from options without asking the node", async () => {
    const backend = createTronWebBackend({ fullHost: "http://127.0.0.1:1", chainId: 0x2b6653dcn });
    expect(await backend.chainId()).to.equal(728126428n);
  });
});
