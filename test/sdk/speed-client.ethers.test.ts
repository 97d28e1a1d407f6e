import { ethersEnv } from "./backend-env.js";
import { runSpeedSuite } from "./speed-client-suite.js";

runSpeedSuite("EthersBackend (Hardhat)", ethersEnv);
