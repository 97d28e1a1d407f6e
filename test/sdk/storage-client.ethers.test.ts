import { storageEthersEnv } from "./storage-env.js";
import { runStorageSuite } from "./storage-client-suite.js";

runStorageSuite("EthersBackend (Hardhat)", () => storageEthersEnv());
