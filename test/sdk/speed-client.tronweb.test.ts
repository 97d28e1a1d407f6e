import { tronEnv } from "./backend-env.js";
import { runSpeedSuite } from "./speed-client-suite.js";

runSpeedSuite("TronWebBackend (devnode)", tronEnv);
