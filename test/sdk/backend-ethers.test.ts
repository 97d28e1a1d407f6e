import { expect } from "chai";
import { JsonRpcProvider, Network } from "ethers";
import { describe, it } from "mocha";
import { EthersBackend } from "../../sdk/src/backend/ethers.js";
import { InvalidArgumentError } from "../../sdk/src/errors.js";
import { ethersEnv } from "./backend-env.js";
import { runBackendSuite } from "./backend-suite.js";

runBackendSuite("EthersBackend (Hardhat)", ethersEnv, (url) => {
  // A static network, so that ethers does not retry network detection forever in the background.
  const network = Network.from(3448148188n);
  const provider = new JsonRpcProvider(url, network, { staticNetwork: network, batchMaxCount: 1 });
  setTimeout(() => provider.destroy(), 20_000).unref();
  return new EthersBackend(provider, { requestTimeoutMs: 3_000 });
});

describe("EthersBackend construction", () => {
  it("refuses what is neither a Signer nor a Provider with InvalidArgumentError", () => {
    expect(() => new EthersBackend({} as never)).to.throw(InvalidArgumentError);
    expect(() => new EthersBackend(null as never)).to.throw(InvalidArgumentError);
  });
});
