import { runStorageSuite } from "./storage-client-suite.js";
import { storageEthersEnv } from "./storage-env.js";

runStorageSuite("EthersBackend (Hardhat)", () => storageEthersEnv());
