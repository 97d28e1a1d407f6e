import { runStorageSuite } from "./storage-client-suite.js";
import { storageTronEnv } from "./storage-env.js";

runStorageSuite("TronWebBackend (devnode)", () => storageTronEnv());
