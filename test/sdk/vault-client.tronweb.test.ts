import { tronEnv } from "./backend-env.js";
import { runVaultSuite } from "./vault-client-suite.js";

runVaultSuite("TronWebBackend (devnode)", tronEnv);
