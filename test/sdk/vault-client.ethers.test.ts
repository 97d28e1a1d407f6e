import { ethersEnv } from "./backend-env.js";
import { runVaultSuite } from "./vault-client-suite.js";

runVaultSuite("EthersBackend (Hardhat)", ethersEnv);
